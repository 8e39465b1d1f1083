package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * MACO, magnitude-constrained optimisation (Fel et al., "Unlocking Feature Visualization for Deeper Networks with
 * MAgnitude Constrained Optimization", 2023): the image's Fourier magnitudes are fixed to those of natural images
 * ({@link NaturalSpectrum}) and only the phases are optimised. The spectrum {@code M·e^{iφ}} of each decorrelated
 * colour channel goes through an inverse real FFT, the image is standardised (zero mean, unit deviation over its
 * channels and pixels), mixed to RGB with ImageNet's colour correlation and squashed into [0, 1] by a sigmoid. With
 * its magnitudes fixed the image keeps natural contrast and frequency content however far the optimisation goes, which
 * suits deep layers, where the plain Fourier parameterisation drifts into saturated, high-frequency patterns.
 *
 * <p>Images with other than three channels (grey, RGBA, multispectral) keep each channel at the mean natural
 * magnitude of the three decorrelated colour channels and skip the colour mix, which is defined for RGB only.
 *
 * <p>The inverse FFT is written as real matrix products (a complex DFT along the height, then the real inverse
 * DFT along the width), so autograd differentiates the whole map from phases to pixels.
 */
final class MacoParam implements ImageParam {
    private final NaturalSpectrum spectrum;

    MacoParam(NaturalSpectrum spectrum) {
        this.spectrum = spectrum;
    }

    @Override
    public String name() {
        return "maco";
    }

    /**
     * Phases in radians take larger steps than Lucid's spectrum coefficients: on SqueezeNet, 256 steps at 0.2 reach
     * 1.1–5.7 times the objective of 0.05 (fire4/concat:12, fire8/concat:300, fire4/concat:6), 0.5 no more.
     */
    @Override
    public double learningRate() {
        return 0.2;
    }

    @Override
    public String toString() {
        return name() + " (" + spectrum + ")";
    }

    @Override
    public Instance create(int batch, int channels, int h, int w, Random random, List<BufferedImage> start) {
        int wf = w / 2 + 1;
        boolean rgb = channels == 3;
        float[] magnitude = magnitudes(spectrum.magnitude(h, w), channels, h * wf);
        float[] values = new float[batch * channels * h * wf];
        if (start == null || start.isEmpty()) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * Math.PI);
            }
        } else {
            // the start images' phases (their magnitudes give way to the natural ones)
            float[] t = ImageParams.startLogits(start, batch, channels, h, w);
            if (rgb) {
                ImageParams.unmixColours(t, h * w, batch);
            }
            float[] ones = new float[h * wf];
            java.util.Arrays.fill(ones, 1f);
            float[] spec = new float[2 * values.length];
            FourierParam.rfft2(t, batch * channels, h, w, spec, ones);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.atan2(spec[2 * i + 1], spec[2 * i]);
            }
        }
        // inverse DFT along the height: e^{+2πi·y·k/h}; inverse real DFT along the width, the columns irfft
        // counts twice (all but 0 and w/2) weighted 2
        float[] cosH = new float[h * h];
        float[] sinH = new float[h * h];
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < h; k++) {
                double a = 2 * Math.PI * (((long) y * k) % h) / h;
                cosH[y * h + k] = (float) Math.cos(a);
                sinH[y * h + k] = (float) Math.sin(a);
            }
        }
        float[] cosW = new float[wf * w];
        float[] sinW = new float[wf * w];
        for (int k = 0; k < wf; k++) {
            double weight = (k == 0 || (w % 2 == 0 && k == w / 2) ? 1.0 : 2.0) / ((double) h * w);
            for (int x = 0; x < w; x++) {
                double a = 2 * Math.PI * (((long) k * x) % w) / w;
                cosW[k * w + x] = (float) (weight * Math.cos(a));
                sinW[k * w + x] = (float) (weight * Math.sin(a));
            }
        }
        long[] shape = {batch, channels, h, wf};
        return new Instance() {
            @Override
            public float[] values() {
                return values;
            }

            @Override
            public long[] shape() {
                return shape.clone();
            }

            @Override
            public NDArray images(NDArray phase) {
                NDManager m = phase.getManager();
                NDArray mag = m.create(magnitude, new Shape(channels, h, wf));
                NDArray re = phase.cos().mul(mag);
                NDArray im = phase.sin().mul(mag);
                NDArray ch = m.create(cosH, new Shape(h, h));
                NDArray sh = m.create(sinH, new Shape(h, h));
                NDArray yr = ch.matMul(re).sub(sh.matMul(im));
                NDArray yi = ch.matMul(im).add(sh.matMul(re));
                NDArray x = yr.matMul(m.create(cosW, new Shape(wf, w))).sub(yi.matMul(m.create(sinW,
                        new Shape(wf, w))));
                NDArray flat = x.reshape(batch, -1);
                NDArray centred = flat.sub(flat.mean(new int[] {1}, true));
                NDArray sd = centred.square().mean(new int[] {1}, true).sqrt().add(1e-4f);
                NDArray standard = centred.div(sd).reshape(batch, channels, h, w);
                return ImageParams.sigmoid(rgb ? ImageParams.mixColours(standard) : standard);
            }

            @Override
            public int batch() {
                return batch;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public int channels() {
                return channels;
            }

            @Override
            public int width() {
                return w;
            }
        };
    }

    /** The three colour channels' magnitudes for RGB; for any other count, their mean in every channel. */
    private static float[] magnitudes(float[] rgb, int channels, int plane) {
        if (channels == 3) {
            return rgb;
        }
        float[] out = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            float mean = (rgb[i] + rgb[plane + i] + rgb[2 * plane + i]) / 3f;
            for (int c = 0; c < channels; c++) {
                out[c * plane + i] = mean;
            }
        }
        return out;
    }
}
