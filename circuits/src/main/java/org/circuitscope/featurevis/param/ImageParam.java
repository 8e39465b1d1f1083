package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * How the optimised images are represented: a flat vector of parameters (what the optimiser changes) and a
 * differentiable map from it to a batch of RGB [0, 1] images. After Lucid's {@code optvis.param}.
 */
public interface ImageParam {

    /** A short name (pixel, fft). */
    String name();

    /**
     * Makes the parameters for {@code batch} images of {@code height}×{@code width}: random (drawn from
     * {@code random}) or, when {@code start} is not empty, the parameters whose image is as close as the
     * parameterisation allows to the given images (one per batch entry, or one for all).
     */
    Instance create(int batch, int height, int width, Random random, List<BufferedImage> start);

    /** One parameterised batch. */
    interface Instance {
        /** The parameter values, which the optimiser updates in place. */
        float[] values();

        /** The shape of the parameter array. */
        long[] shape();

        /** The images (N×3×H×W, [0, 1]) from the parameters, attached to {@code params}' manager. */
        NDArray images(NDArray params);

        int batch();

        int height();

        int width();
    }
}
