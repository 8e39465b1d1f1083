package org.circuitscope.ops;

import static org.circuitscope.ops.Values.out;
import static org.circuitscope.ops.Values.present;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Kernels;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;

/** Batch norm in inference mode, local response normalisation, layer and instance normalisation. */
final class Normalization {
    private Normalization() {
    }

    static Op batchNorm(Attributes a) {
        float eps = epsilon(a);
        if (a.getInt("training_mode", 0) != 0) {
            throw new GraphException("has training_mode=1; circuitscope runs batch norm with its stored statistics "
                    + "(inference mode)");
        }
        if (a.getInt("spatial", 1) == 0) {
            throw new GraphException("has spatial=0 (per-position statistics), which circuitscope does not run");
        }
        return (in, m) -> {
            NDArray x = in[0].array();
            Shape c = channelShape(x);
            NDArray k = scale(in[1].array(), in[4].array(), eps);
            NDArray b = in[2].array().sub(in[3].array().mul(k));
            return out(x.mul(k.reshape(c)).add(b.reshape(c)));
        };
    }

    /** The linearised batch norm: only its per-channel scale gamma / sqrt(var + epsilon). */
    static Op batchNormScale(Attributes a) {
        float eps = epsilon(a);
        return (in, m) -> {
            NDArray x = in[0].array();
            return out(x.mul(scale(in[1].array(), in[4].array(), eps).reshape(channelShape(x))));
        };
    }

    /** gamma / sqrt(var + epsilon): batch norm's scale, one definition for every consumer. */
    static NDArray scale(NDArray gamma, NDArray var, float eps) {
        return gamma.div(var.add(eps).sqrt());
    }

    static float epsilon(Attributes a) {
        return a.getFloat("epsilon", 1e-5f);
    }

    static Shape channelShape(NDArray x) {
        long[] s = new long[Math.max(2, x.getShape().dimension())];
        Arrays.fill(s, 1);
        s[1] = x.getShape().get(1);
        return new Shape(s);
    }

    static Op lrn(Attributes a) {
        float alpha = a.getFloat("alpha", 1e-4f);
        float beta = a.getFloat("beta", 0.75f);
        float bias = a.getFloat("bias", 1f);
        long size = a.getInt("size", 0);
        if (size <= 0) {
            throw new GraphException("needs a positive 'size' attribute");
        }
        return Values.unary(x -> Kernels.lrn(x, size, alpha, beta, bias));
    }

    /** LayerNormalization over the axes from {@code axis} on; only its first output (Y) is computed. */
    static Op layerNorm(Attributes a) {
        long axisAttr = a.getInt("axis", -1);
        float eps = a.getFloat("epsilon", 1e-5f);
        return (in, m) -> {
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            int axis = Values.axis(axisAttr, rank);
            int[] axes = new int[rank - axis];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = axis + i;
            }
            NDArray mean = Values.meanKeep(x, axes);
            NDArray centred = x.sub(mean);
            NDArray invStd = Values.meanKeep(centred.square(), axes).add(eps).sqrt().pow(-1);
            NDArray y = centred.mul(invStd).mul(in[1].array());
            // outputs: Y, and the Mean and InvStdDev that training would keep
            return new Value[] {new Value.Array(present(in, 2) ? y.add(in[2].array()) : y), new Value.Array(mean),
                    new Value.Array(invStd)};
        };
    }

    static Op instanceNorm(Attributes a) {
        float eps = a.getFloat("epsilon", 1e-5f);
        return (in, m) -> {
            NDArray x = in[0].array();
            int rank = x.getShape().dimension();
            int[] axes = new int[rank - 2];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i + 2;
            }
            NDArray mean = Values.meanKeep(x, axes);
            NDArray centred = x.sub(mean);
            NDArray var = Values.meanKeep(centred.square(), axes);
            Shape c = channelShape(x);
            return out(centred.div(var.add(eps).sqrt()).mul(in[1].array().reshape(c)).add(in[2].array().reshape(c)));
        };
    }
}
