package org.circuitscope.ops;

import static org.circuitscope.ops.Values.out;
import static org.circuitscope.ops.Values.unary;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Op;

/** Elementwise activation functions, with the ONNX defaults of their attributes. */
final class Activations {
    private Activations() {
    }

    static Op relu(Attributes a) {
        return unary(Activation::relu);
    }

    static Op leakyRelu(Attributes a) {
        float alpha = a.getFloat("alpha", 0.01f);
        return unary(x -> Activation.leakyRelu(x, alpha));
    }

    /** Clip with its bounds as attributes (importers fold ONNX's min/max inputs and TF's Relu6 into them). */
    static Op clip(Attributes a) {
        float lo = a.getFloat("min", Float.NEGATIVE_INFINITY);
        float hi = a.getFloat("max", Float.POSITIVE_INFINITY);
        return unary(x -> clip(x, lo, hi));
    }

    static NDArray clip(NDArray x, float lo, float hi) {
        if (lo > hi) {
            // ONNX: every value becomes max when min > max
            return x.zerosLike().add(hi);
        }
        NDArray r = x;
        if (lo != Float.NEGATIVE_INFINITY) {
            r = r.maximum(lo);
        }
        if (hi != Float.POSITIVE_INFINITY) {
            r = r.minimum(hi);
        }
        return r == x ? x.duplicate() : r;
    }

    /** The lower bound under which a Relu or Clip is closed (no gradient), or NaN for other ops. */
    public static float closedBelow(String op, Attributes a) {
        return switch (op) {
            case "Relu" -> 0f;
            case "Clip" -> a.getFloat("min", Float.NaN);
            default -> Float.NaN;
        };
    }

    static Op hardSigmoid(Attributes a) {
        float alpha = a.getFloat("alpha", 0.2f);
        float beta = a.getFloat("beta", 0.5f);
        return unary(x -> clip(x.mul(alpha).add(beta), 0f, 1f));
    }

    static Op hardSwish(Attributes a) {
        return unary(x -> x.mul(clip(x.mul(1f / 6f).add(0.5f), 0f, 1f)));
    }

    static Op elu(Attributes a) {
        float alpha = a.getFloat("alpha", 1f);
        return unary(x -> x.maximum(0f).add(x.minimum(0f).exp().sub(1f).mul(alpha)));
    }

    static Op celu(Attributes a) {
        float alpha = a.getFloat("alpha", 1f);
        return unary(x -> x.maximum(0f).add(x.div(alpha).exp().sub(1f).mul(alpha).minimum(0f)));
    }

    static Op selu(Attributes a) {
        float alpha = a.getFloat("alpha", 1.67326319217681884765625f);
        float gamma = a.getFloat("gamma", 1.05070102214813232421875f);
        return unary(x -> x.maximum(0f).add(x.minimum(0f).exp().sub(1f).mul(alpha)).mul(gamma));
    }

    static Op thresholdedRelu(Attributes a) {
        float alpha = a.getFloat("alpha", 1f);
        return unary(x -> x.mul(x.gt(alpha).toType(x.getDataType(), false)));
    }

    static Op softplus(Attributes a) {
        // log(1 + e^x), written so large x does not overflow: max(x, 0) + log(1 + e^-|x|)
        return unary(x -> x.maximum(0f).add(x.abs().neg().exp().add(1f).log()));
    }

    static Op softsign(Attributes a) {
        return unary(x -> x.div(x.abs().add(1f)));
    }

    static Op mish(Attributes a) {
        return unary(x -> x.mul(x.maximum(0f).add(x.abs().neg().exp().add(1f).log()).tanh()));
    }

    static Op gelu(Attributes a) {
        String approximate = a.getString("approximate", "none");
        return switch (approximate) {
            case "none" -> unary(x -> x.mul(erf(x.mul((float) (1 / Math.sqrt(2)))).add(1f)).mul(0.5f));
            case "tanh" -> unary(x -> x.mul(x.add(x.pow(3f).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI))
                    .tanh().add(1f)).mul(0.5f));
            default -> throw new GraphException("has approximate='" + approximate + "'; Gelu knows none and tanh");
        };
    }

    /** The error function, libtorch's own (differentiable). */
    static NDArray erf(NDArray x) {
        return JniUtils.erf((PtNDArray) x);
    }

    static Op prelu(Attributes a) {
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray slope = Values.array(in[1], m);
            return out(x.maximum(0f).add(x.minimum(0f).mul(slope)));
        };
    }

    static Op swish(Attributes a) {
        float alpha = a.getFloat("alpha", 1f);
        return unary(x -> x.mul(Activation.sigmoid(x.mul(alpha))));
    }
}
