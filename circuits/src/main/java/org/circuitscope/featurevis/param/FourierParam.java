package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Lucid's Fourier parameterisation: the parameters are the real and imaginary parts of a 2-D real-FFT spectrum
 * (N×C×H×(W/2+1)×2), each frequency scaled by 1/max(f, 1/max(H, W))^decay so that all frequencies start with equal
 * energy in the image, turned into pixels by an inverse real FFT, divided by 4, optionally (RGB images only) mapped
 * through the ImageNet colour-correlation square root, and squashed into [0, 1] by a sigmoid.
 *
 * <p>The inverse FFT runs on PyTorch's complex FFTs as a {@link ImageParam.LinearStage}: DJL cannot differentiate
 * through complex arrays, so the optimiser takes the gradient with respect to the pre-colour image from autograd
 * and maps it back to the spectrum with the transform's adjoint (a forward real FFT, weighted).
 */
final class FourierParam implements ImageParam {
    private final boolean decorrelate;
    private final double decay;
    private final double sd;

    FourierParam(boolean decorrelate, double decay, double sd) {
        this.decorrelate = decorrelate;
        this.decay = decay;
        this.sd = sd;
    }

    @Override
    public String name() {
        return "fft" + (decorrelate ? " (decorrelated)" : "");
    }

    @Override
    public String toString() {
        return name();
    }

    /** |frequency| of each rfft2 bin (H × (W/2+1)), in cycles per pixel, as numpy's fftfreq gives them. */
    static double[] frequencies(int h, int w) {
        int wf = w / 2 + 1;
        double[] f = new double[h * wf];
        for (int y = 0; y < h; y++) {
            double fy = (y < (h + 1) / 2 ? y : y - h) / (double) h;
            for (int x = 0; x < wf; x++) {
                double fx = x / (double) w;
                f[y * wf + x] = Math.sqrt(fx * fx + fy * fy);
            }
        }
        return f;
    }

    @Override
    public Instance create(int batch, int channels, int h, int w, Random random, List<BufferedImage> start) {
        boolean mix = decorrelate && channels == 3;
        int wf = w / 2 + 1;
        double[] freq = frequencies(h, w);
        // Lucid's scale, times sqrt(HW) / 4
        float[] lucidScale = new float[h * wf];
        double floor = 1.0 / Math.max(h, w);
        for (int i = 0; i < lucidScale.length; i++) {
            double s = 1.0 / Math.pow(Math.max(freq[i], floor), decay) * Math.sqrt((double) h * w);
            lucidScale[i] = (float) (s / 4.0);
        }
        // the adjoint of irfft2 (numpy norm) on the half spectrum: rfft2 weighted by 1 for the columns irfft
        // counts once (0 and W/2) and 2 for the others, divided by HW; times the spectrum scale
        float[] adjointScale = new float[h * wf];
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < wf; k++) {
                double weight = k == 0 || (w % 2 == 0 && k == w / 2) ? 1 : 2;
                adjointScale[y * wf + k] = (float) (weight * lucidScale[y * wf + k] / ((double) h * w));
            }
        }
        int per = channels * h * wf * 2;
        float[] values = new float[batch * per];
        if (start == null || start.isEmpty()) {
            ImageParams.gaussian(values, random, sd);
        } else {
            float[] t = ImageParams.startLogits(start, batch, channels, h, w);
            if (mix) {
                ImageParams.unmixColours(t, h * w, batch);
            }
            rfft2(t, batch * channels, h, w, values, lucidScale);
        }
        long[] shape = {batch, channels, h, wf, 2};
        LinearStage stage = new LinearStage() {
            @Override
            public NDArray forward(NDArray p) {
                NDManager m = p.getManager();
                NDArray scaled = p.mul(m.create(lucidScale, new Shape(h, wf, 1)));
                return ((PtNDArray) scaled).complex().ifft(h, 2).irfft(w, 3);
            }

            @Override
            public NDArray adjoint(NDArray g) {
                NDManager m = g.getManager();
                NDArray spectrum = ((PtNDArray) g.rfft(w, 3).fft(h, 2)).real();
                return spectrum.mul(m.create(adjointScale, new Shape(h, wf, 1)));
            }

            @Override
            public NDArray head(NDArray t) {
                return ImageParams.sigmoid(mix ? ImageParams.mixColours(t) : t);
            }
        };
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
            public NDArray images(NDArray p) {
                return stage.head(stage.forward(p));
            }

            @Override
            public LinearStage linearStage() {
                return stage;
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

    /**
     * The parameters whose image is {@code t} (planes × H × W): numpy's unnormalised rfft2, divided by the
     * spectrum scale; real and imaginary part of each bin side by side (planes × H × (W/2+1) × 2).
     */
    static void rfft2(float[] t, int planes, int h, int w, float[] out, float[] lucidScale) {
        int wf = w / 2 + 1;
        double[] rre = new double[h * wf];
        double[] rim = new double[h * wf];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int k = 0; k < wf; k++) {
                    double sr = 0;
                    double si = 0;
                    for (int x = 0; x < w; x++) {
                        double a = 2 * Math.PI * (((long) x * k) % w) / w;
                        double v = t[base + y * w + x];
                        sr += v * Math.cos(a);
                        si -= v * Math.sin(a);
                    }
                    rre[y * wf + k] = sr;
                    rim[y * wf + k] = si;
                }
            }
            int ob = p * h * wf;
            for (int ky = 0; ky < h; ky++) {
                for (int k = 0; k < wf; k++) {
                    double sr = 0;
                    double si = 0;
                    for (int y = 0; y < h; y++) {
                        double a = 2 * Math.PI * (((long) y * ky) % h) / h;
                        double c = Math.cos(a);
                        double s = -Math.sin(a);
                        double xr = rre[y * wf + k];
                        double xi = rim[y * wf + k];
                        sr += xr * c - xi * s;
                        si += xr * s + xi * c;
                    }
                    int i = ky * wf + k;
                    out[2 * (ob + i)] = (float) (sr / lucidScale[i]);
                    out[2 * (ob + i) + 1] = (float) (si / lucidScale[i]);
                }
            }
        }
    }
}
