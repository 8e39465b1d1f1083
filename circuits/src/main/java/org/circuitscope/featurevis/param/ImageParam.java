package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * How the optimised images are represented: a flat vector of parameters (what the optimiser changes) and a
 * differentiable map from it to a batch of [0, 1] images with as many channels as the model takes (RGB for most;
 * grey for one channel; the colour decorrelation applies to three channels only). After Lucid's
 * {@code optvis.param}.
 */
public interface ImageParam {

    /** A short name (pixel, fft, maco). */
    String name();

    /**
     * The Adam learning rate this parameterisation is meant to be optimised with unless one is given: 0.05 as
     * Lucid's for pixels and spectra.
     */
    default double learningRate() {
        return 0.05;
    }

    /**
     * Makes the parameters for {@code batch} images of {@code height}×{@code width}: random (drawn from
     * {@code random}) or, when {@code start} is not empty, the parameters whose image is as close as the
     * parameterisation allows to the given images (one per batch entry, or one for all).
     */
    Instance create(int batch, int channels, int height, int width, Random random, List<BufferedImage> start);

    /** {@link #create(int, int, int, int, Random, List)} for RGB images. */
    default Instance create(int batch, int height, int width, Random random, List<BufferedImage> start) {
        return create(batch, 3, height, width, random, start);
    }

    /** A linear map t = L(p) with its adjoint, and the differentiable rest of the parameterisation. */
    interface LinearStage {
        /** t = L(p), attached to p's manager (no gradient). */
        NDArray forward(NDArray params);

        /** Lᵀ(g): the gradient with respect to the parameters of a loss whose gradient with respect to t is g. */
        NDArray adjoint(NDArray gradient);

        /** The differentiable rest: images from t. */
        NDArray head(NDArray t);
    }

    /** One parameterised batch. */
    interface Instance {
        /** The parameter values, which the optimiser updates in place. */
        float[] values();

        /** The shape of the parameter array. */
        long[] shape();

        /** The images (N×C×H×W, [0, 1]) from the parameters, attached to {@code params}' manager. */
        NDArray images(NDArray params);

        int batch();

        /**
         * A linear first stage the optimiser runs outside autograd, or null: {@code images(p)} equals
         * {@code head(stage.forward(p))}, and the gradient with respect to the parameters is
         * {@code stage.adjoint(dL/dt)}. The Fourier parameterisation uses it because PyTorch's complex FFTs are fast
         * but DJL cannot differentiate through complex arrays.
         */
        default LinearStage linearStage() {
            return null;
        }

        int height();

        /** Channels per image (3 for RGB). */
        int channels();

        int width();
    }
}
