package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Lucid's Fourier parameterisation: the parameters are the real and imaginary parts of a 2-D real-FFT spectrum
 * (2×N×3×H×(W/2+1)), each frequency scaled by 1/max(f, 1/max(H, W))^decay so that all frequencies start with equal
 * energy in the image, turned into pixels by an inverse real FFT, divided by 4, optionally mapped through the
 * ImageNet colour-correlation square root, and squashed into [0, 1] by a sigmoid.
 *
 * <p>The inverse FFT is written as fixed matrix products with precomputed cosine and sine bases (an inverse
 * complex DFT along the height, then an inverse real DFT along the width), which autograd differentiates and
 * which is fast at feature-visualisation sizes (≤ 256 px).
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
    public Instance create(int batch, int h, int w, Random random, List<BufferedImage> start) {
        int wf = w / 2 + 1;
        double[] freq = frequencies(h, w);
        // Lucid's scale, times sqrt(HW) / 4, with irfft2's 1/(HW) folded in
        float[] scale = new float[h * wf];
        float[] lucidScale = new float[h * wf];
        double floor = 1.0 / Math.max(h, w);
        for (int i = 0; i < scale.length; i++) {
            double s = 1.0 / Math.pow(Math.max(freq[i], floor), decay) * Math.sqrt((double) h * w);
            lucidScale[i] = (float) (s / 4.0);
            scale[i] = (float) (s / 4.0 / ((double) h * w));
        }
        float[] ch = new float[h * h];
        float[] sh = new float[h * h];
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < h; k++) {
                double a = 2 * Math.PI * (((long) y * k) % h) / h;
                ch[y * h + k] = (float) Math.cos(a);
                sh[y * h + k] = (float) Math.sin(a);
            }
        }
        float[] cw = new float[wf * w];
        float[] sw = new float[wf * w];
        for (int k = 0; k < wf; k++) {
            double weight = k == 0 || (w % 2 == 0 && k == w / 2) ? 1 : 2;
            for (int x = 0; x < w; x++) {
                double a = 2 * Math.PI * (((long) x * k) % w) / w;
                cw[k * w + x] = (float) (weight * Math.cos(a));
                sw[k * w + x] = (float) (-weight * Math.sin(a));
            }
        }
        int per = 3 * h * wf;
        float[] values = new float[2 * batch * per];
        if (start == null || start.isEmpty()) {
            ImageParams.gaussian(values, random, sd);
        } else {
            float[] t = ImageParams.startLogits(start, batch, h, w);
            if (decorrelate) {
                ImageParams.unmixColours(t, h * w, batch);
            }
            rfft2(t, batch * 3, h, w, values, lucidScale);
        }
        long[] shape = {2, batch, 3, h, wf};
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
                NDManager m = p.getManager();
                NDArray k = m.create(scale, new Shape(h, wf));
                NDArray re = p.get(0).mul(k);
                NDArray im = p.get(1).mul(k);
                NDArray chA = m.create(ch, new Shape(h, h));
                NDArray shA = m.create(sh, new Shape(h, h));
                // inverse complex DFT along the height: C = (Ch + i Sh)(re + i im)
                NDArray cre = chA.matMul(re).sub(shA.matMul(im));
                NDArray cim = shA.matMul(re).add(chA.matMul(im));
                // inverse real DFT along the width: x = Cre·Cw + Cim·Sw (Sw holds −sin)
                NDArray x = cre.matMul(m.create(cw, new Shape(wf, w))).add(cim.matMul(m.create(sw, new Shape(wf, w))));
                if (decorrelate) {
                    x = ImageParams.mixColours(x);
                }
                return ImageParams.sigmoid(x);
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
            public int width() {
                return w;
            }
        };
    }

    /**
     * The parameters whose image is {@code t} (planes × H × W): numpy's unnormalised rfft2, divided by the
     * spectrum scale; real parts first, then imaginary parts.
     */
    private static void rfft2(float[] t, int planes, int h, int w, float[] out, float[] lucidScale) {
        int wf = w / 2 + 1;
        double[] rre = new double[h * wf];
        double[] rim = new double[h * wf];
        int half = out.length / 2;
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
                    out[ob + i] = (float) (sr / lucidScale[i]);
                    out[half + ob + i] = (float) (si / lucidScale[i]);
                }
            }
        }
    }
}
