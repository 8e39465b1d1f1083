package org.circuitscope.tflite;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.circuitscope.graph.Graph;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;

/**
 * Reads a TensorFlow Lite file ({@code .tflite}) into a canonical {@link Graph}: the main subgraph's operators
 * translated (see {@link OperatorTranslator}), weights dequantised to float, layer names from the tensor names.
 * What the file says about its input becomes the {@link InputSpec}: a uint8 (or int8) input's quantisation
 * real = scale × (q − zero_point) is exactly the pixel preprocessing (range 0..255, mean zero_point, std 1/scale);
 * a float input takes the normalisation of the file's TFLite metadata, if it has one. Class labels come from the label file the
 * metadata names, packed in the zip archive appended to the model.
 */
public final class TfLiteImporter {

    /** The ops translated, by builtin code. */
    static final Set<Integer> SUPPORTED = Set.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
            BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.ADD, BuiltinOperator.MUL,
            BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D, BuiltinOperator.MEAN,
            BuiltinOperator.RESHAPE, BuiltinOperator.SOFTMAX, BuiltinOperator.CONCATENATION, BuiltinOperator.PAD,
            BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE);

    private TfLiteImporter() {
    }

    /** The names of the ops translated, sorted (for messages and documentation). */
    public static List<String> supportedOps() {
        Set<String> s = new TreeSet<>();
        SUPPORTED.forEach(c -> s.add(BuiltinOperator.name(c)));
        return List.copyOf(s);
    }

    /**
     * The graph, its declared input shape (1×C×H×W), the preprocessing the file states (null when it states none)
     * and the packed labels.
     */
    public static Model.Imported load(Path file, NDManager manager) {
        byte[] bytes = Models.readFile(file);
        String what = file.getFileName().toString();
        TfLiteFile f;
        ModelMetadata meta;
        try {
            f = TfLiteFile.read(ByteBuffer.wrap(bytes));
            meta = ModelMetadata.read(f.metadata().get(ModelMetadata.KEY));
        } catch (TfLiteFormatException e) {
            throw new ModelException(what + " is not a readable TensorFlow Lite file: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "TensorFlow Lite (schema version " + f.version() + ")");
        if (f.description() != null && !f.description().isBlank()) {
            metadata.put("tflite.description", f.description());
        }
        try {
            Graph graph = graph(f, what, manager);
            TfLiteTensor in = f.tensor(f.inputs()[0]);
            InputSpec input = inputSpec(in, meta, metadata);
            List<String> labels = labels(file, meta, classCount(f), metadata);
            return new Model.Imported(graph, Nhwc.shape(in.shape()), input, labels, metadata, Map.of());
        } catch (TfLiteFormatException e) {
            throw new ModelException(what + ": " + e.getMessage(), e);
        }
    }

    private static Graph graph(TfLiteFile f, String what, NDManager manager) {
        if (f.inputs().length != 1) {
            throw new ModelException(what + ": circuitscope runs models with one image input; this one has "
                    + f.inputs().length + " (" + Arrays.stream(f.inputs()).mapToObj(i -> f.tensor(i).describe())
                    .toList() + ")");
        }
        TfLiteTensor input = f.tensor(f.inputs()[0]);
        if (input.shape().length != 4) {
            throw new ModelException(what + ": the input " + input.describe() + " is not an image batch "
                    + "(1×height×width×channels)");
        }
        List<String> unsupported = new ArrayList<>();
        for (TfLiteOperator op : f.operators()) {
            if (!SUPPORTED.contains(op.code())) {
                unsupported.add(op.opName() + " at operator " + op.index() + " (output '"
                        + (op.outputs().length > 0 ? TensorNames.shortName(f.tensor(op.outputs()[0]).name()) : "")
                        + "')");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new GraphException(what + " uses TensorFlow Lite ops circuitscope does not import: "
                    + String.join("; ", unsupported.subList(0, Math.min(10, unsupported.size())))
                    + (unsupported.size() > 10 ? " and " + (unsupported.size() - 10) + " more" : "")
                    + ". Supported: " + String.join(", ", supportedOps()));
        }
        TensorNames names = new TensorNames(f.tensors(), f.inputs()[0], f.operators());
        OperatorTranslator t = new OperatorTranslator(f, names, manager);
        t.input(input.index());
        for (TfLiteOperator op : f.operators()) {
            t.translate(op);
        }
        List<String> outputs = new ArrayList<>();
        for (int o : f.outputs()) {
            outputs.add(t.value(o));
        }
        // The class scores before the last softmax that is an output (through Identity nodes) come first, so they
        // are what the model reads classes from.
        Map<String, String> identities = new LinkedHashMap<>();
        for (Node n : t.nodes()) {
            if (n.op().equals("Identity")) {
                identities.put(n.output(), n.inputs().get(0));
            }
        }
        String logits = null;
        for (String o : outputs) {
            String v = o;
            while (identities.containsKey(v)) {
                v = identities.get(v);
            }
            if (t.softmaxLogits().containsKey(v)) {
                logits = t.softmaxLogits().get(v);
            }
        }
        if (logits != null) {
            outputs.remove(logits);
            outputs.add(0, logits);
        }
        return new Graph(t.value(input.index()), t.constants(), t.nodes(), outputs);
    }

    /**
     * The preprocessing a picture needs to become the network's real-valued input. uint8 input: the pixel is q, so
     * real = scale × (pixel − zero_point). int8 input: q = pixel − 128, so the mean is zero_point + 128.
     */
    static InputSpec inputSpec(TfLiteTensor input, ModelMetadata meta, Map<String, String> metadata) {
        int h = input.shape()[1];
        int w = input.shape()[2];
        int c = input.shape()[3];
        Quantization q = input.quantization();
        if ((input.type() == TensorType.UINT8 || input.type() == TensorType.INT8) && q.present()) {
            if (q.perChannel()) {
                throw new TfLiteFormatException("the input " + input.describe() + " is quantised per channel; "
                        + "circuitscope reads one input scale");
            }
            float mean = q.zeroPoint(0) + (input.type() == TensorType.INT8 ? 128 : 0);
            float std = 1f / q.scale()[0];
            metadata.put("input.from", "quantisation of input tensor '" + input.name() + "' (" + input.type()
                    + "): real = " + q.scale()[0] + " × (q − " + q.zeroPoint(0) + ")");
            return new InputSpec(h, w, c, false, 0, 255, new float[] {mean}, new float[] {std}, 1f);
        }
        if (input.type() != TensorType.FLOAT32) {
            throw new TfLiteFormatException("the input " + input.describe() + " is " + input.type()
                    + " without a quantisation scale; circuitscope feeds float32 or quantised uint8/int8 images");
        }
        if (meta.mean().length > 0 && meta.std().length > 0) {
            metadata.put("input.from", "TFLite metadata normalisation: (pixel − " + Arrays.toString(meta.mean())
                    + ") / " + Arrays.toString(meta.std()) + " on 0..255");
            return new InputSpec(h, w, c, false, 0, 255, meta.mean(), meta.std(), 1f);
        }
        return null; // the file states no preprocessing: the model says what it assumes
    }

    private static int classCount(TfLiteFile f) {
        if (f.outputs().length == 0) {
            return -1;
        }
        int[] s = f.tensor(f.outputs()[0]).shape();
        return s.length == 0 ? -1 : s[s.length - 1];
    }

    /** The labels the metadata names, read from the zip archive appended to the model, when there is one per class. */
    private static List<String> labels(Path file, ModelMetadata meta, int classes, Map<String, String> metadata) {
        if (meta.labelsFile() == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(meta.labelsFile());
            if (e == null) {
                metadata.put("labels.missing", "the metadata names " + meta.labelsFile() + ", which the file does "
                        + "not pack");
                return List.of();
            }
            try (InputStream in = zip.getInputStream(e)) {
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n")) {
                    lines.add(l.strip());
                }
            }
        } catch (IOException e) {
            metadata.put("labels.missing", "cannot read the packed " + meta.labelsFile() + ": " + e.getMessage());
            return List.of();
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.size() != classes) {
            metadata.put("labels.missing", "the packed " + meta.labelsFile() + " has " + lines.size()
                    + " lines for " + classes + " classes");
            return List.of();
        }
        metadata.put("labels.from", meta.labelsFile() + " (packed in the file)");
        return List.copyOf(lines);
    }
}
