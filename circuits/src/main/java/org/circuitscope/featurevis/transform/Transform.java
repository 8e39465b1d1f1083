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

    /** The smallest side this transform can produce from a side of {@code size} (to check a model can run on it). */
    default int minOutputSize(int size) {
        return size;
    }

    /** This transform, then {@code next}. */
    default Transform then(Transform next) {
        return Transforms.compose(this, next);
    }
}
