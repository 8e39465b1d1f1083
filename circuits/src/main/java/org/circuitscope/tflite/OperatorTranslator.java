package org.circuitscope.tflite;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Value;
import org.circuitscope.tflite.BuiltinOptions.Activation;
import org.circuitscope.tflite.BuiltinOptions.Padding;

/**
 * Translates the operators of a TensorFlow Lite subgraph into circuitscope's canonical nodes (ONNX semantics,
 * NCHW): weights dequantised and laid out O×I×kH×kW, axes renumbered, fused activations as nodes of their own,
 * QUANTIZE and DEQUANTIZE of activations as Identity nodes (a float import computes the real values the quantised
 * ones stand for; the node keeps the tensor as a layer) and of constants folded. An operator or option outside what is translated is refused naming
 * the operator's index, op, option and output tensor.
 */
final class OperatorTranslator {
    private final TfLiteFile file;
    private final TensorNames names;
    private final NDManager manager;
    private final Map<String, Value> constants = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    /** The graph value of each tensor index translated so far. */
    private final Map<Integer, String> values = new HashMap<>();
    /** Constants already translated, by tensor index and the layout asked for. */
    private final Map<String, String> converted = new HashMap<>();
    /** Each softmax output and the class scores it normalises (before any beta scaling). */
    private final Map<String, String> softmaxLogits = new LinkedHashMap<>();
    private TfLiteOperator op;

    OperatorTranslator(TfLiteFile file, TensorNames names, NDManager manager) {
        this.file = file;
        this.names = names;
        this.manager = manager;
    }

    Map<String, Value> constants() {
        return constants;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** Softmax outputs → the scores they normalise, in operator order. */
    Map<String, String> softmaxLogits() {
        return softmaxLogits;
    }

    /** The graph value of a tensor after translation. */
    String value(int tensor) {
        String v = values.get(tensor);
        if (v == null) {
            throw new GraphException("tensor " + file.tensor(tensor).describe() + " is read before any operator "
                    + "computes it");
        }
        return v;
    }

    void input(int tensor) {
        values.put(tensor, names.of(tensor));
    }

    void translate(TfLiteOperator operator) {
        op = operator;
        if (op.outputs().length == 0) {
            throw new GraphException("operator " + op.index() + " (" + op.opName() + ") has no outputs");
        }
        switch (op.code()) {
            case BuiltinOperator.CONV_2D -> conv(false);
            case BuiltinOperator.DEPTHWISE_CONV_2D -> conv(true);
            case BuiltinOperator.FULLY_CONNECTED -> fullyConnected();
            case BuiltinOperator.ADD -> binary("Add");
            case BuiltinOperator.MUL -> binary("Mul");
            case BuiltinOperator.AVERAGE_POOL_2D -> pool("AveragePool");
            case BuiltinOperator.MAX_POOL_2D -> pool("MaxPool");
            case BuiltinOperator.MEAN -> mean();
            case BuiltinOperator.RESHAPE -> reshape();
            case BuiltinOperator.SOFTMAX -> softmax();
            case BuiltinOperator.CONCATENATION -> concatenation();
            case BuiltinOperator.PAD -> pad();
            case BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE -> requantize();
            default -> throw refuse("circuitscope does not import this op");
        }
    }

    // ---- ops

    private void conv(boolean depthwise) {
        TfLiteTensor x = activationInput(0);
        TfLiteTensor w = constantInput(1, "filter");
        BuiltinOptions.Conv o = depthwise ? BuiltinOptions.depthwise(op) : BuiltinOptions.conv(op);
        int[] ws = w.shape();
        if (x.shape().length != 4 || ws.length != 4) {
            throw refuse("input " + Arrays.toString(x.shape()) + " and filter " + Arrays.toString(ws)
                    + " must both be 4-D");
        }
        int cin = x.shape()[3];
        long group;
        if (depthwise) {
            if (ws[0] != 1 || ws[3] % cin != 0) {
                throw refuse("the depthwise filter " + Arrays.toString(ws) + " does not fit " + cin
                        + " input channels");
            }
            group = cin;
        } else {
            if (cin % ws[3] != 0) {
                throw refuse("the filter's " + ws[3] + " input channels do not divide the input's " + cin);
            }
            group = cin / ws[3];
        }
        checkPositive("stride_h", o.strideH());
        checkPositive("stride_w", o.strideW());
        checkPositive("dilation_h_factor", o.dilationH());
        checkPositive("dilation_w_factor", o.dilationW());
        List<String> inputs = new ArrayList<>(List.of(value(x.index()), filter(w, depthwise)));
        if (op.inputs().length > 2 && op.inputs()[2] >= 0) {
            inputs.add(bias(file.tensor(op.inputs()[2]), x, w));
        }
        Attributes a = Attributes.builder()
                .set("kernel_shape", ws[1], ws[2])
                .set("strides", o.strideH(), o.strideW())
                .set("dilations", o.dilationH(), o.dilationW())
                .set("group", group)
                .set("auto_pad", autoPad(o.padding()))
                .build();
        emitWithActivation("Conv", inputs, a, o.activation());
    }

    private void fullyConnected() {
        TfLiteTensor x = activationInput(0);
        TfLiteTensor w = constantInput(1, "weights");
        BuiltinOptions.FullyConnected o = BuiltinOptions.fullyConnected(op);
        if (o.weightsFormat() != 0) {
            throw refuse("option weights_format " + (o.weightsFormat() == 1 ? "SHUFFLED4x16INT8" : o.weightsFormat())
                    + " is not read (only DEFAULT)");
        }
        int[] ws = w.shape();
        if (ws.length != 2) {
            throw refuse("the weights " + Arrays.toString(ws) + " must be 2-D (outputs × inputs)");
        }
        int[] xs = x.shape();
        long perSample = 1;
        for (int d = 1; d < xs.length; d++) {
            perSample *= xs[d];
        }
        if (xs.length < 2 || perSample != ws[1]) {
            throw refuse("the input " + Arrays.toString(xs) + " does not flatten to " + ws[1]
                    + " features per sample");
        }
        if (o.keepNumDims() && xs.length > 2) {
            throw refuse("option keep_num_dims with a " + xs.length + "-D input is not read");
        }
        String in = value(x.index());
        if (xs.length > 2) {
            in = flattenTfOrder(in, xs);
        }
        List<String> inputs = new ArrayList<>(List.of(in, constant(w, "", null, null)));
        if (op.inputs().length > 2 && op.inputs()[2] >= 0) {
            inputs.add(bias(file.tensor(op.inputs()[2]), x, w));
        }
        Attributes a = Attributes.builder().set("alpha", 1f).set("beta", 1f).set("transA", 0).set("transB", 1)
                .build();
        emitWithActivation("Gemm", inputs, a, o.activation());
    }

    /** A value flattened to N × features in TFLite's element order (NHWC for 4-D values). */
    private String flattenTfOrder(String in, int[] shape) {
        String v = in;
        if (shape.length == 4 && (shape[1] != 1 || shape[2] != 1)) {
            v = emit("Transpose", List.of(v), Attributes.builder().set("perm", toLongs(Nhwc.NCHW_TO_NHWC)).build(),
                    names.fresh(outName() + "/nhwc"));
        }
        return emit("Flatten", List.of(v), Attributes.builder().set("axis", 1).build(),
                names.fresh(outName() + "/flatten"));
    }

    private void binary(String canonical) {
        int[] in = op.inputs();
        if (in.length != 2) {
            throw refuse("needs two inputs, not " + in.length);
        }
        TfLiteTensor a = file.tensor(in[0]);
        TfLiteTensor b = file.tensor(in[1]);
        if (a.constant() && b.constant()) {
            throw refuse("both inputs are constants");
        }
        int rank = Math.max(a.shape().length, b.shape().length);
        List<String> inputs = new ArrayList<>();
        for (TfLiteTensor t : List.of(a, b)) {
            if (t.constant()) {
                inputs.add(broadcastConstant(t, rank));
            } else {
                if (rank == 4 && t.shape().length != 4) {
                    throw refuse("a " + t.shape().length + "-D input " + t.describe() + " meets a 4-D one; only "
                            + "constants broadcast against 4-D values");
                }
                inputs.add(value(t.index()));
            }
        }
        emitWithActivation(canonical, inputs, Attributes.NONE, BuiltinOptions.fusedActivation(op));
    }

    private void pool(String canonical) {
        TfLiteTensor x = activationInput(0);
        if (x.shape().length != 4) {
            throw refuse("the input " + Arrays.toString(x.shape()) + " must be 4-D");
        }
        BuiltinOptions.Pool o = BuiltinOptions.pool(op);
        checkPositive("stride_h", o.strideH());
        checkPositive("stride_w", o.strideW());
        checkPositive("filter_height", o.filterH());
        checkPositive("filter_width", o.filterW());
        Attributes.Builder a = Attributes.builder()
                .set("kernel_shape", o.filterH(), o.filterW())
                .set("strides", o.strideH(), o.strideW())
                .set("auto_pad", autoPad(o.padding()));
        if (canonical.equals("AveragePool")) {
            a.set("count_include_pad", 0); // TFLite averages over the window's part inside the input
        }
        emitWithActivation(canonical, List.of(value(x.index())), a.build(), o.activation());
    }

    private void mean() {
        TfLiteTensor x = activationInput(0);
        TfLiteTensor axesTensor = constantInput(1, "axes");
        long[] axes = Dequantization.ints(axesTensor);
        int rank = x.shape().length;
        boolean keep = BuiltinOptions.keepDims(op);
        boolean[] reduced = new boolean[rank];
        for (long a : axes) {
            int ax = (int) (a < 0 ? a + rank : a);
            if (ax < 0 || ax >= rank) {
                throw refuse("axis " + a + " is out of range for the " + rank + "-D input");
            }
            reduced[ax] = true;
        }
        long[] graphAxes = new long[0];
        for (int a = 0; a < rank; a++) {
            if (reduced[a]) {
                graphAxes = Arrays.copyOf(graphAxes, graphAxes.length + 1);
                graphAxes[graphAxes.length - 1] = Nhwc.axis(a, rank, "MEAN");
            }
        }
        Arrays.sort(graphAxes);
        Attributes attrs = Attributes.builder().set("axes", graphAxes).set("keepdims", keep ? 1 : 0).build();
        if (keep || rank != 4) {
            emitWithActivation("ReduceMean", List.of(value(x.index())), attrs, Activation.NONE);
            return;
        }
        // The kept axes come out in NCHW order; TFLite keeps them in NHWC order.
        List<Integer> ours = new ArrayList<>();
        for (int g : Nhwc.NHWC_TO_NCHW) {
            if (!reduced[g]) {
                ours.add(g);
            }
        }
        List<Integer> theirs = new ArrayList<>();
        for (int a = 0; a < rank; a++) {
            if (!reduced[a]) {
                theirs.add(a);
            }
        }
        if (ours.equals(theirs)) {
            emitWithActivation("ReduceMean", List.of(value(x.index())), attrs, Activation.NONE);
            return;
        }
        String r = emit("ReduceMean", List.of(value(x.index())), attrs, names.fresh(outName() + "/nchw"));
        long[] perm = new long[theirs.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = ours.indexOf(theirs.get(i));
        }
        emitWithActivation("Transpose", List.of(r), Attributes.builder().set("perm", perm).build(),
                Activation.NONE);
    }

    private void reshape() {
        TfLiteTensor x = activationInput(0);
        TfLiteTensor out = file.tensor(op.outputs()[0]);
        int[] xs = x.shape();
        int[] os = out.shape();
        long[] target = new long[os.length];
        for (int i = 0; i < os.length; i++) {
            target[i] = os[i];
        }
        if (target.length > 0 && xs.length > 0 && os[0] == xs[0] && product(os, 1) == product(xs, 1)) {
            target[0] = -1; // the batch: TFLite files are made for one image, the graph runs any batch
        }
        String v = value(x.index());
        if (xs.length == 4 && !unitSpatial(xs)) {
            v = emit("Transpose", List.of(v), Attributes.builder().set("perm", toLongs(Nhwc.NCHW_TO_NHWC)).build(),
                    names.fresh(outName() + "/nhwc"));
        }
        boolean backToNchw = os.length == 4 && !unitSpatial(os);
        long[] shape = os.length == 4 && !backToNchw ? Nhwc.permuteShape(target, Nhwc.NHWC_TO_NCHW) : target;
        String shapeName = names.fresh(outName() + "/shape");
        constants.put(shapeName, Value.Ints.vector(shape));
        if (!backToNchw) {
            emitWithActivation("Reshape", List.of(v, shapeName), Attributes.NONE, Activation.NONE);
            return;
        }
        String r = emit("Reshape", List.of(v, shapeName), Attributes.NONE, names.fresh(outName() + "/reshaped"));
        emitWithActivation("Transpose", List.of(r),
                Attributes.builder().set("perm", toLongs(Nhwc.NHWC_TO_NCHW)).build(), Activation.NONE);
    }

    private void softmax() {
        TfLiteTensor x = activationInput(0);
        float beta = BuiltinOptions.softmaxBeta(op);
        if (!(beta > 0) || !Float.isFinite(beta)) {
            throw refuse("option beta " + beta + " (absent options mean 0) is not a positive scale");
        }
        String v = value(x.index());
        softmaxLogits.put(outName(), v);
        if (beta != 1f) {
            String betaName = names.fresh(outName() + "/beta");
            constants.put(betaName, new Value.Array(manager.create(new float[] {beta}, new Shape())));
            v = emit("Mul", List.of(v, betaName), Attributes.NONE, names.fresh(outName() + "/scaled"));
        }
        int rank = x.shape().length;
        emitWithActivation("Softmax", List.of(v), Attributes.builder().set("axis", Nhwc.axis(-1, rank, "SOFTMAX"))
                .build(), Activation.NONE);
    }

    private void concatenation() {
        int rank = -1;
        List<String> inputs = new ArrayList<>();
        for (int i : op.inputs()) {
            TfLiteTensor t = file.tensor(i);
            if (rank >= 0 && t.shape().length != rank) {
                throw refuse("inputs of different ranks");
            }
            rank = t.shape().length;
        }
        for (int i : op.inputs()) {
            TfLiteTensor t = file.tensor(i);
            inputs.add(t.constant() ? constant(t, "", rank == 4 ? Nhwc.NHWC_TO_NCHW : null, null)
                    : value(t.index()));
        }
        int axis = Nhwc.axis(BuiltinOptions.concatenationAxis(op), rank, describe());
        emitWithActivation("Concat", inputs, Attributes.builder().set("axis", axis).build(),
                BuiltinOptions.fusedActivation(op));
    }

    private void pad() {
        TfLiteTensor x = activationInput(0);
        TfLiteTensor p = constantInput(1, "paddings");
        long[] pads = Dequantization.ints(p);
        int rank = x.shape().length;
        if (pads.length != 2 * rank) {
            throw refuse("paddings " + Arrays.toString(p.shape()) + " do not fit the " + rank + "-D input");
        }
        long[] onnx = new long[2 * rank];
        for (int a = 0; a < rank; a++) {
            int g = Nhwc.axis(a, rank, "PAD");
            onnx[g] = pads[2 * a];
            onnx[rank + g] = pads[2 * a + 1];
        }
        // Zero padding: for a quantised tensor TFLite pads with the zero point, which is the real value 0.
        emitWithActivation("Pad", List.of(value(x.index())),
                Attributes.builder().set("pads", onnx).set("mode", "constant").set("value", 0f).build(), Activation.NONE);
    }

    private void requantize() {
        TfLiteTensor x = file.tensor(op.inputs()[0]);
        int out = op.outputs()[0];
        if (x.constant()) {
            constant(x, "", null, names.of(out));
            values.put(out, names.of(out));
        } else {
            emitWithActivation("Identity", List.of(value(x.index())), Attributes.NONE, Activation.NONE);
        }
    }

    // ---- constants

    /** A convolution filter, O×H×W×I (depthwise: 1×H×W×C·M), as O×I×H×W (depthwise: C·M×1×H×W). */
    private String filter(TfLiteTensor w, boolean depthwise) {
        int[] perm = depthwise ? new int[] {3, 0, 1, 2} : new int[] {0, 3, 1, 2};
        return constant(w, depthwise ? "dw" : "oihw", perm, null);
    }

    private String bias(TfLiteTensor b, TfLiteTensor x, TfLiteTensor w) {
        if (!b.constant()) {
            throw refuse("the bias " + b.describe() + " is not a constant");
        }
        String key = b.index() + "/bias";
        String done = converted.get(key);
        if (done != null) {
            return done;
        }
        float[] data = b.type() == TensorType.INT32
                ? Dequantization.floats(b, Dequantization.biasQuantization(b, x, w)) : Dequantization.floats(b);
        String name = constantName(b, "bias");
        constants.put(name, new Value.Array(manager.create(data, new Shape(b.longShape()))));
        converted.put(key, name);
        return name;
    }

    /**
     * A constant tensor's real values as a graph constant, transposed by {@code perm} (null: as stored), under
     * its own name or {@code as}. Translated once per layout.
     */
    private String constant(TfLiteTensor t, String layout, int[] perm, String as) {
        String key = t.index() + "/" + layout + (perm == null ? "" : Arrays.toString(perm));
        String done = converted.get(key);
        if (done != null && as == null) {
            return done;
        }
        float[] data = Dequantization.floats(t);
        int[] shape = t.shape();
        if (perm != null) {
            data = Nhwc.permute(data, shape, perm);
            int[] s = new int[shape.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = shape[perm[i]];
            }
            shape = s;
        }
        String name = as != null ? as : constantName(t, layout);
        long[] ls = Arrays.stream(shape).asLongStream().toArray();
        constants.put(name, new Value.Array(manager.create(data, new Shape(ls))));
        converted.put(key, name);
        return name;
    }

    /**
     * A constant operand of an elementwise op against a value of rank {@code rank}: as stored for ranks other than
     * 4; against a 4-D value, aligned to NHWC from the right and transposed to NCHW, and a per-channel vector as
     * [C, 1, 1].
     */
    private String broadcastConstant(TfLiteTensor t, int rank) {
        int[] s = t.shape();
        if (rank != 4 || s.length == 0 || (s.length == 1 && s[0] == 1)) {
            return constant(t, "", null, null);
        }
        if (s.length > 4) {
            throw refuse("the constant " + t.describe() + " has more dimensions than the 4-D value it meets");
        }
        String key = t.index() + "/broadcast";
        String done = converted.get(key);
        if (done != null) {
            return done;
        }
        int[] padded = new int[4];
        Arrays.fill(padded, 1);
        System.arraycopy(s, 0, padded, 4 - s.length, s.length);
        float[] data = Nhwc.permute(Dequantization.floats(t), padded, Nhwc.NHWC_TO_NCHW);
        long[] nchw = Nhwc.permuteShape(Arrays.stream(padded).asLongStream().toArray(), Nhwc.NHWC_TO_NCHW);
        if (nchw[0] == 1 && nchw[2] == 1 && nchw[3] == 1) {
            nchw = new long[] {nchw[1], 1, 1};
        }
        String name = constantName(t, "nchw");
        constants.put(name, new Value.Array(manager.create(data, new Shape(nchw))));
        converted.put(key, name);
        return name;
    }

    /** The tensor's name, or a variant of it when the tensor is already a constant in another layout. */
    private String constantName(TfLiteTensor t, String layout) {
        String base = names.of(t.index());
        return constants.containsKey(base) ? names.fresh(base + "/" + (layout.isEmpty() ? "copy" : layout)) : base;
    }

    // ---- emitting

    private String emit(String canonical, List<String> inputs, Attributes a, String output) {
        nodes.add(new Node(output, canonical, inputs, List.of(output), a));
        return output;
    }

    /** The op's node, then its fused activation as a node of its own; the last one carries the tensor's name. */
    private void emitWithActivation(String canonical, List<String> inputs, Attributes a, Activation act) {
        int outTensor = op.outputs()[0];
        String out = names.of(outTensor);
        if (act == Activation.NONE) {
            emit(canonical, inputs, a, out);
        } else {
            String pre = emit(canonical, inputs, a, names.fresh(preActivationName(out, act)));
            switch (act) {
                case RELU -> emit("Relu", List.of(pre), Attributes.NONE, out);
                case RELU6 -> emit("Clip", List.of(pre), Attributes.builder().set("min", 0f).set("max", 6f).build(),
                        out);
                case RELU_N1_TO_1 -> emit("Clip", List.of(pre),
                        Attributes.builder().set("min", -1f).set("max", 1f).build(), out);
                case TANH -> emit("Tanh", List.of(pre), Attributes.NONE, out);
                default -> throw refuse("fused activation " + act + " is not read");
            }
        }
        values.put(outTensor, out);
    }

    /**
     * The name of the value before a fused activation: the tensor's name without its trailing activation parts
     * (".../Conv2d_0/Relu6" → ".../Conv2d_0", ".../relu6/Relu6" → "..."), else the name with "/pre_activation".
     */
    static String preActivationName(String out, Activation act) {
        List<String> words = switch (act) {
            case RELU -> List.of("relu");
            case RELU6 -> List.of("relu6");
            case RELU_N1_TO_1 -> List.of("relu1", "relu_n1_to_1");
            case TANH -> List.of("tanh");
            default -> List.of();
        };
        String s = out;
        while (s.lastIndexOf('/') > 0 && words.contains(s.substring(s.lastIndexOf('/') + 1).toLowerCase())) {
            s = s.substring(0, s.lastIndexOf('/'));
        }
        return s.equals(out) ? out + "/pre_activation" : s;
    }

    // ---- checks

    private TfLiteTensor activationInput(int k) {
        if (op.inputs().length <= k || op.inputs()[k] < 0) {
            throw refuse("input " + k + " is missing");
        }
        TfLiteTensor t = file.tensor(op.inputs()[k]);
        if (t.constant()) {
            throw refuse("input " + k + " " + t.describe() + " is a constant; circuitscope reads this op on "
                    + "computed values");
        }
        return t;
    }

    private TfLiteTensor constantInput(int k, String what) {
        if (op.inputs().length <= k || op.inputs()[k] < 0) {
            throw refuse("the " + what + " (input " + k + ") is missing");
        }
        TfLiteTensor t = file.tensor(op.inputs()[k]);
        if (!t.constant()) {
            throw refuse("the " + what + " " + t.describe() + " is computed, not a constant");
        }
        return t;
    }

    private void checkPositive(String option, int v) {
        if (v < 1) {
            throw refuse("option " + option + " is " + v + "; it must be at least 1");
        }
    }

    private String autoPad(Padding p) {
        return p == Padding.SAME ? "SAME_UPPER" : "VALID"; // TF "SAME": the extra row/column at bottom/right
    }

    private String outName() {
        return names.of(op.outputs()[0]);
    }

    private String describe() {
        return "operator " + op.index() + " (" + op.opName()
                + (op.outputs().length == 0 ? ", no outputs)" : ", output '" + outName() + "')");
    }

    private GraphException refuse(String why) {
        return new GraphException(describe() + ": " + why);
    }

    private static boolean unitSpatial(int[] nhwc) {
        return nhwc[1] == 1 && nhwc[2] == 1;
    }

    private static long product(int[] s, int from) {
        long p = 1;
        for (int i = from; i < s.length; i++) {
            p *= s[i];
        }
        return p;
    }

    private static long[] toLongs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }
}
