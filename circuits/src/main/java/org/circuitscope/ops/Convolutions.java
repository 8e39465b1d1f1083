package org.circuitscope.ops;

import static org.circuitscope.ops.Values.out;
import static org.circuitscope.ops.Values.present;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Kernels;
import org.circuitscope.graph.Op;

/** ONNX Conv over 1-D and 2-D inputs: grouped, dilated, any padding. 1-D runs as 2-D of height 1. */
final class Convolutions {
    private Convolutions() {
    }

    static Op conv(Attributes a) {
        Geometry.Spec spec = Geometry.spec(a, false);
        long group = a.getInt("group", 1);
        if (group <= 0) {
            throw new GraphException("has group " + group + "; it must be positive");
        }
        return (in, m) -> out(conv(in[0].array(), in[1].array(), present(in, 2) ? in[2].array() : null, spec,
                (int) group, m));
    }

    static NDArray conv(NDArray x, NDArray w, NDArray b, Geometry.Spec spec, int group, NDManager m) {
        int rank = x.getShape().dimension();
        if (rank != spec.rank() + 2 || w.getShape().dimension() != rank) {
            throw new GraphException("expects a " + (spec.rank() + 2) + "-D input and weights, but got input "
                    + x.getShape() + " and weights " + w.getShape());
        }
        boolean oneD = spec.rank() == 1;
        NDArray x2 = oneD ? x.expandDims(2) : x;
        NDArray w2 = oneD ? w.expandDims(2) : w;
        long[] kernel = {w2.getShape().get(2), w2.getShape().get(3)};
        if (spec.kernel() != null && (spec.kernel()[0] != kernel[0] || spec.kernel()[1] != kernel[1])) {
            throw new GraphException("states kernel_shape " + Values.show(spec.kernel()) + " but its weights are "
                    + w.getShape());
        }
        Geometry g = spec.resolve(x2.getShape().get(2), x2.getShape().get(3), kernel);
        NDArray y = Kernels.conv2d(x2, w2, b, g.strides(), g.pads(), g.dilations(), group, m);
        return oneD ? y.squeeze(2) : y;
    }
}
