package org.circuitscope.ops;

import static org.circuitscope.ops.Linearity.CONCAT;
import static org.circuitscope.ops.Linearity.CONVOLUTION;
import static org.circuitscope.ops.Linearity.GLOBAL_POOLING;
import static org.circuitscope.ops.Linearity.IDENTITY;
import static org.circuitscope.ops.Linearity.NONE;
import static org.circuitscope.ops.Linearity.PAD;
import static org.circuitscope.ops.Linearity.POOLING;
import static org.circuitscope.ops.Linearity.SCALE;
import static org.circuitscope.ops.Linearity.SUM;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;

/**
 * circuitscope's op vocabulary: the one definition of each op that every importer translates into and every
 * consumer reads. Names and semantics are ONNX's (NCHW layout, numpy broadcasting), in one canonical form each:
 * <ul>
 * <li>bounds and axes that ONNX moved from attributes to inputs over its opsets are attributes here where a
 * consumer must read them ({@code Clip} min/max, {@code Pad} pads/value, {@code Reduce*} axes), and integer inputs
 * elsewhere ({@code Reshape} shape, {@code Squeeze}/{@code Unsqueeze} axes, {@code Slice} starts/ends/axes/steps,
 * {@code Split} sizes, {@code Expand}, {@code Tile});</li>
 * <li>{@code Softmax}/{@code LogSoftmax} work along {@code axis}; {@code coerce_2d=1} gives the pre-opset-13
 * flattening;</li>
 * <li>{@code Split} without sizes takes {@code num_outputs}; {@code ConstantOfShape} marks an integer fill with
 * {@code value_is_integer=1}.</li>
 * </ul>
 * A node whose op or attribute variant is not implemented is refused when the graph is built, naming both.
 */
public final class OpSet {
    private static final Map<String, OpDefinition> DEFINITIONS = new TreeMap<>();

    static {
        // convolution and pooling
        define("Conv", Convolutions::conv, CONVOLUTION, false, "kernel_shape strides dilations pads auto_pad group");
        define("MaxPool", Pooling::maxPool, POOLING, false, 1, "kernel_shape strides dilations pads auto_pad ceil_mode storage_order");
        define("AveragePool", Pooling::avgPool, POOLING, false, "kernel_shape strides dilations pads auto_pad ceil_mode count_include_pad");
        define("GlobalAveragePool", a -> Pooling.global(true), GLOBAL_POOLING, false, "");
        define("GlobalMaxPool", a -> Pooling.global(false), GLOBAL_POOLING, false, "");
        // activation functions: identity in the linearised network, channel by channel
        define("Relu", Activations::relu, IDENTITY, true, "");
        define("LeakyRelu", Activations::leakyRelu, IDENTITY, true, "alpha");
        define("Clip", Activations::clip, IDENTITY, true, "min max");
        define("Sigmoid", a -> Values.unary(Activation::sigmoid), IDENTITY, true, "");
        define("Tanh", a -> Values.unary(Activation::tanh), IDENTITY, true, "");
        define("HardSigmoid", Activations::hardSigmoid, IDENTITY, true, "alpha beta");
        define("HardSwish", Activations::hardSwish, IDENTITY, true, "");
        define("Elu", Activations::elu, IDENTITY, true, "alpha");
        define("Celu", Activations::celu, IDENTITY, true, "alpha");
        define("Selu", Activations::selu, IDENTITY, true, "alpha gamma");
        define("ThresholdedRelu", Activations::thresholdedRelu, IDENTITY, true, "alpha");
        define("Softplus", Activations::softplus, IDENTITY, true, "");
        define("Softsign", Activations::softsign, IDENTITY, true, "");
        define("Mish", Activations::mish, IDENTITY, true, "");
        define("Gelu", Activations::gelu, IDENTITY, true, "approximate");
        define("Swish", Activations::swish, IDENTITY, true, "alpha");
        define("PRelu", Activations::prelu, IDENTITY, true, "");
        define("Dropout", Shapes::dropout, IDENTITY, true, 1, "ratio seed is_test");
        define("Identity", Shapes::identity, IDENTITY, true, "");
        define("LRN", Normalization::lrn, IDENTITY, false, "size alpha beta bias");
        // normalisation
        define("BatchNormalization", Normalization::batchNorm, SCALE, true, 1, "epsilon momentum training_mode spatial is_test consumed_inputs");
        define("LayerNormalization", Normalization::layerNorm, NONE, false, 3, "axis epsilon stash_type");
        define("InstanceNormalization", Normalization::instanceNorm, NONE, false, "epsilon");
        // arithmetic
        define("Add", a -> Arithmetic.binary(NDArray::add, Long::sum), SUM, true, "");
        define("Sub", a -> Arithmetic.binary(NDArray::sub, (x, y) -> x - y), SUM, true, "");
        define("Mul", a -> Arithmetic.binary(NDArray::mul, (x, y) -> x * y), SCALE, true, "");
        define("Div", a -> Arithmetic.binary(NDArray::div, OpSet::divide), SCALE, true, "");
        define("Pow", a -> Arithmetic.binary(NDArray::pow, Arithmetic::intPow), NONE, true, "");
        define("Sum", a -> Arithmetic.variadic(NDArray::add, Long::sum, false), SUM, true, "");
        define("Max", a -> Arithmetic.variadic(NDArray::maximum, Math::max, false), NONE, true, "");
        define("Min", a -> Arithmetic.variadic(NDArray::minimum, Math::min, false), NONE, true, "");
        define("Mean", a -> Arithmetic.variadic(NDArray::add, null, true), NONE, true, "");
        define("Equal", a -> Arithmetic.compare(NDArray::eq, (x, y) -> Arithmetic.bool(x == y)), NONE, false, "");
        define("Less", a -> Arithmetic.compare(NDArray::lt, (x, y) -> Arithmetic.bool(x < y)), NONE, false, "");
        define("LessOrEqual", a -> Arithmetic.compare(NDArray::lte, (x, y) -> Arithmetic.bool(x <= y)), NONE, false, "");
        define("Greater", a -> Arithmetic.compare(NDArray::gt, (x, y) -> Arithmetic.bool(x > y)), NONE, false, "");
        define("GreaterOrEqual", a -> Arithmetic.compare(NDArray::gte, (x, y) -> Arithmetic.bool(x >= y)), NONE,
                false, "");
        define("Where", Arithmetic::where, NONE, false, "");
        define("Not", Arithmetic::not, NONE, false, "");
        unary("Neg", NDArray::neg);
        unary("Abs", NDArray::abs);
        unary("Sqrt", NDArray::sqrt);
        unary("Exp", NDArray::exp);
        unary("Log", NDArray::log);
        unary("Reciprocal", x -> x.pow(-1));
        unary("Floor", NDArray::floor);
        unary("Ceil", NDArray::ceil);
        unary("Sign", NDArray::sign);
        unary("Erf", Activations::erf);
        unary("Sin", NDArray::sin);
        unary("Cos", NDArray::cos);
        unary("Tan", NDArray::tan);
        unary("Asin", NDArray::asin);
        unary("Acos", NDArray::acos);
        unary("Atan", NDArray::atan);
        unary("Sinh", NDArray::sinh);
        unary("Cosh", NDArray::cosh);
        // libtorch through DJL lacks the inverse hyperbolic functions; their closed forms are exact enough
        unary("Asinh", x -> x.add(x.square().add(1f).sqrt()).log());
        unary("Acosh", x -> x.add(x.square().sub(1f).sqrt()).log());
        unary("Atanh", x -> x.add(1f).div(x.neg().add(1f)).log().mul(0.5f));
        // matrix products
        define("Gemm", Linear::gemm, NONE, false, "alpha beta transA transB");
        define("MatMul", Linear::matMul, NONE, false, "");
        // moving and reshaping
        define("Concat", Shapes::concat, CONCAT, false, "axis");
        define("Pad", Shapes::pad, PAD, false, "pads mode value axes");
        define("Reshape", Shapes::reshape, NONE, false, "allowzero");
        define("Flatten", Shapes::flatten, NONE, false, "axis");
        define("Transpose", Shapes::transpose, NONE, false, "perm");
        define("Squeeze", Shapes::squeeze, NONE, false, "");
        define("Unsqueeze", Shapes::unsqueeze, NONE, false, "");
        define("Split", Shapes::split, NONE, false, Integer.MAX_VALUE, "axis num_outputs");
        define("Slice", Shapes::slice, NONE, false, "");
        define("Shape", Shapes::shape, NONE, false, "start end");
        define("Size", Shapes::size, NONE, false, "");
        define("Gather", Shapes::gather, NONE, false, "axis");
        define("Cast", Shapes::cast, NONE, false, "to saturate round_mode");
        define("Expand", Shapes::expand, NONE, false, "");
        define("Tile", Shapes::tile, NONE, false, "");
        define("ConstantOfShape", Shapes::constantOfShape, NONE, false, "value value_is_integer");
        define("Range", Shapes::range, NONE, false, "");
        define("Resize", Resize::resize, NONE, false, "mode coordinate_transformation_mode nearest_mode cubic_coeff_a exclude_outside extrapolation_value antialias axes keep_aspect_ratio_policy");
        // reductions
        reduction("ReduceMean", Reductions.Kind.MEAN);
        reduction("ReduceMax", Reductions.Kind.MAX);
        reduction("ReduceMin", Reductions.Kind.MIN);
        reduction("ReduceSum", Reductions.Kind.SUM);
        reduction("ReduceProd", Reductions.Kind.PROD);
        reduction("ReduceSumSquare", Reductions.Kind.SUM_SQUARE);
        reduction("ReduceL1", Reductions.Kind.L1);
        reduction("ReduceL2", Reductions.Kind.L2);
        reduction("ReduceLogSum", Reductions.Kind.LOG_SUM);
        reduction("ReduceLogSumExp", Reductions.Kind.LOG_SUM_EXP);
        define("Softmax", a -> Reductions.softmax(a, false), NONE, false, "axis coerce_2d");
        define("LogSoftmax", a -> Reductions.softmax(a, true), NONE, false, "axis coerce_2d");
    }

    private OpSet() {
    }

    private static void define(String name, OpDefinition.Binder binder, Linearity linearity, boolean channelwise,
                               String attributes) {
        define(name, binder, linearity, channelwise, Integer.MAX_VALUE, attributes);
    }

    private static void define(String name, OpDefinition.Binder binder, Linearity linearity, boolean channelwise,
                               int outputs, String attributes) {
        Set<String> known = attributes.isBlank() ? Set.of() : Set.of(attributes.trim().split(" +"));
        DEFINITIONS.put(name, new OpDefinition(name, binder, linearity, channelwise, outputs, known));
    }

    private static void unary(String name, UnaryOperator<NDArray> f) {
        define(name, a -> Arithmetic.unary(f), NONE, true, "");
    }

    private static void reduction(String name, Reductions.Kind kind) {
        define(name, a -> Reductions.reduce(kind, a), NONE, false, "axes keepdims noop_with_empty_axes");
    }

    private static long divide(long x, long y) {
        if (y == 0) {
            throw new GraphException("divides an integer by zero");
        }
        return x / y;
    }

    /**
     * Whether the op is a rectifier: it is constant (no gradient, activation at its floor) below a lower bound, as
     * Relu below 0 and Clip below its min (ReLU6 is Clip 0..6). Feature visualisation redirects gradients past
     * such a floor, and dataset examples read "negative" units before it.
     */
    public static boolean rectifies(String op, Attributes a) {
        return Float.isFinite(Activations.closedBelow(op, a));
    }

    /** The bound below which a rectifier is closed (0 for Relu, min for Clip); NaN for other ops. */
    public static float closedBelow(String op, Attributes a) {
        return Activations.closedBelow(op, a);
    }

    /** The ops of the vocabulary, by name. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(DEFINITIONS.keySet());
    }

    public static boolean supports(String op) {
        return DEFINITIONS.containsKey(op);
    }

    /** The definition of an op; an unknown op fails naming the op and listing the vocabulary. */
    public static OpDefinition definition(String op) {
        OpDefinition d = DEFINITIONS.get(op);
        if (d == null) {
            throw new GraphException("op '" + op + "' is not in circuitscope's op vocabulary. Supported ops: "
                    + String.join(", ", DEFINITIONS.keySet()));
        }
        return d;
    }

    /** The node's implementation; an unsupported variant fails naming the node, the op and what is wrong. */
    public static Op bind(Node node) {
        OpDefinition d = DEFINITIONS.get(node.op());
        if (d == null) {
            throw new GraphException(node + " uses an op circuitscope does not run. Supported ops: "
                    + String.join(", ", DEFINITIONS.keySet()));
        }
        for (String name : node.attributes().names()) {
            if (!d.attributes().contains(name)) {
                throw new GraphException(node + " has an attribute '" + name + "' that circuitscope does not know for "
                        + node.op() + (d.attributes().isEmpty() ? " (it takes none)" : " (it knows "
                        + String.join(", ", new java.util.TreeSet<>(d.attributes())) + ")")
                        + "; refusing rather than ignoring it");
            }
        }
        try {
            return d.binder().bind(node.attributes());
        } catch (GraphException e) {
            throw new GraphException(node + " " + e.getMessage(), e);
        }
    }

    /**
     * The node's implementation in the linearised network ({@link Linearity}). Inputs that are zero there arrive as
     * null: constants read by a {@link Linearity#SUM} op (biases) and values off the path. The executor fills
     * missing Concat parts; other ops with a null activation input give null. Fails for {@link Linearity#NONE} ops.
     */
    public static Op bindLinear(Node node) {
        OpDefinition d = definition(node.op());
        Attributes a = node.attributes();
        return switch (d.linearity()) {
            case IDENTITY -> (in, m) -> new Value[] {in[0]};
            case CONVOLUTION -> {
                Op conv = bind(new Node(node.name(), node.op(), node.inputs().subList(0, 2), node.outputs(), a));
                yield (in, m) -> conv.apply(new Value[] {in[0], in[1]}, m);
            }
            case POOLING -> {
                if (node.op().equals("AveragePool")) {
                    yield bind(node);
                }
                // a max pool as the average over its window, the padding counted
                Attributes avg = a.toBuilder().set("count_include_pad", 1L).remove("storage_order").build();
                yield bind(new Node(node.name(), "AveragePool", node.inputs(), node.outputs(), avg));
            }
            case GLOBAL_POOLING -> bind(new Node(node.name(), "GlobalAveragePool", node.inputs(), node.outputs()));
            case SCALE -> node.op().equals("BatchNormalization") ? bindOrFail(node, Normalization::batchNormScale)
                    : bind(node);
            case SUM -> linearSum(node);
            case CONCAT -> bind(node);
            case PAD -> bind(new Node(node.name(), node.op(), node.inputs(), node.outputs(),
                    a.toBuilder().set("value", 0f).build()));
            case NONE -> throw new GraphException(node + " is not linear, so weights cannot be expanded through it; "
                    + "end the path before it");
        };
    }

    private static Op bindOrFail(Node node, OpDefinition.Binder binder) {
        try {
            return binder.bind(node.attributes());
        } catch (GraphException e) {
            throw new GraphException(node + " " + e.getMessage(), e);
        }
    }

    /** Add, Sum and Sub over the terms that are not zero (null). */
    private static Op linearSum(Node node) {
        boolean sub = node.op().equals("Sub");
        return (in, m) -> {
            NDArray acc = null;
            for (int i = 0; i < in.length; i++) {
                if (in[i] == null) {
                    continue;
                }
                NDArray v = Values.array(in[i], m);
                if (sub && i == 1) {
                    v = v.neg();
                }
                acc = acc == null ? v : acc.add(v);
            }
            return new Value[] {acc == null ? null : new Value.Array(acc)};
        };
    }
}
