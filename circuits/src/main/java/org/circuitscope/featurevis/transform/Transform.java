package org.circuitscope.featurevis.transform;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/**
 * A random, differentiable change applied to the batch of images (N×3×H×W, RGB [0, 1]) before each optimisation
 * step, so that the visualisation must excite the unit robustly instead of through pixel-exact patterns. Every array
 * a transform creates must be attached to its input's manager.
 */
@FunctionalInterface
public interface Transform {

    /** The transformed batch; {@code random} is the run's seeded generator (the only source of randomness). */
    NDArray apply(NDArray images, Random random);

    /**
     * The transformed batch and where the input's points landed in it. Lucid's transforms ({@link Transforms})
     * know their geometry; any other transform is taken to keep the image's scale and centre
     * ({@link Placement#centred}).
     */
    default Placed place(NDArray images, Random random) {
        NDArray out = apply(images, random);
        return new Placed(out, Placement.centred(images.getShape().get(2), images.getShape().get(3),
                out.getShape().get(2), out.getShape().get(3)));
    }

    /** The smallest side this transform can produce from a side of {@code size} (to check a model can run on it). */
    default int minOutputSize(int size) {
        return size;
    }

    /** This transform, then {@code next}. */
    default Transform then(Transform next) {
        return Transforms.compose(this, next);
    }

    /** A transformed batch and where the transform put the points of the original. */
    record Placed(NDArray images, Placement placement) {
    }
}
