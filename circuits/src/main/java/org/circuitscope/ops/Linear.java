package org.circuitscope.ops;

import static org.circuitscope.ops.Values.out;
import static org.circuitscope.ops.Values.present;

import ai.djl.ndarray.NDArray;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Op;

/** Matrix products: Gemm and MatMul. */
final class Linear {
    private Linear() {
    }

    static Op gemm(Attributes a) {
        float alpha = a.getFloat("alpha", 1f);
        float beta = a.getFloat("beta", 1f);
        boolean transA = a.getInt("transA", 0) != 0;
        boolean transB = a.getInt("transB", 0) != 0;
        return (in, m) -> {
            NDArray x = in[0].array();
            NDArray w = in[1].array();
            if (x.getShape().dimension() != 2 || w.getShape().dimension() != 2) {
                throw new GraphException("multiplies 2-D matrices, not " + x.getShape() + " and " + w.getShape());
            }
            long inner = transA ? x.getShape().get(0) : x.getShape().get(1);
            long wInner = transB ? w.getShape().get(1) : w.getShape().get(0);
            if (inner != wInner) {
                throw new GraphException("matrix product of " + x.getShape() + (transA ? "ᵀ" : "") + " and "
                        + w.getShape() + (transB ? "ᵀ" : "") + " does not fit; the input image probably has a size "
                        + "the model was not built for");
            }
            NDArray y = (transA ? x.transpose() : x).matMul(transB ? w.transpose() : w);
            if (alpha != 1f) {
                y = y.mul(alpha);
            }
            if (present(in, 2) && beta != 0f) {
                NDArray c = Values.array(in[2], m);
                y = y.add(beta == 1f ? c : c.mul(beta));
            }
            return out(y);
        };
    }

    static Op matMul(Attributes a) {
        return (in, m) -> out(Values.array(in[0], m).matMul(Values.array(in[1], m)));
    }
}
