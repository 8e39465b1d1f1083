package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.circuitscope.image.Images;
import org.circuitscope.tensor.Tensor;

/**
 * The image parameterisations: {@link #pixel()} (one parameter per pixel and channel, squashed by a sigmoid),
 * {@link #fourier()} (Lucid's default: a spectrum scaled by 1/frequency, inverse-FFT'd, colour-decorrelated with
 * the square root of ImageNet's colour correlation, then squashed by a sigmoid) and {@link #maco()} (the phases of
 * a spectrum whose magnitudes are natural images', for deep layers).
 */
public final class ImageParams {
    /**
     * The square root of ImageNet's RGB colour correlation matrix, as Lucid publishes it
     * ({@code color_correlation_svd_sqrt}); it maps decorrelated channels to RGB.
     */
    static final double[][] COLOR_CORRELATION_SQRT = {{0.26, 0.09, 0.02}, {0.27, 0.00, -0.05}, {0.27, -0.09, 0.03}};
    /** The same matrix divided by its largest column norm, as Lucid uses it. */
    static final float[] COLOR_MIX = normalisedColorMix();

    private ImageParams() {
    }

    /** Pixels: image = sigmoid(p), p initialised N(0, 0.01²); without colour decorrelation. */
    public static ImageParam pixel() {
        return new PixelParam(false, 0.01);
    }

    /** Pixels with Lucid's colour decorrelation (image = sigmoid(C·p)). */
    public static ImageParam pixel(boolean decorrelate) {
        return new PixelParam(decorrelate, 0.01);
    }

    /** Lucid's default: Fourier basis, 1/f frequency scaling, decorrelated colour, sigmoid. */
    public static ImageParam fourier() {
        return new FourierParam(true, 1.0, 0.01);
    }

    /** Fourier with a choice of colour decorrelation and spectrum decay power (1 is 1/f). */
    public static ImageParam fourier(boolean decorrelate, double decayPower) {
        return new FourierParam(decorrelate, decayPower, 0.01);
    }

    /**
     * MACO (Fel et al. 2023): Fourier magnitudes fixed to natural images' ({@link NaturalSpectrum#IMAGENET}), only
     * the phases optimised; for deep layers. See {@link MacoParam}.
     */
    public static ImageParam maco() {
        return maco(NaturalSpectrum.IMAGENET);
    }

    /** MACO with the magnitude spectrum of other images (e.g. {@link NaturalSpectrum#fit} on a data set). */
    public static ImageParam maco(NaturalSpectrum spectrum) {
        return new MacoParam(spectrum);
    }

    /** {@code fft} (or {@code fourier}), {@code pixel} and {@code maco}. */
    public static ImageParam byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "fft", "fourier" -> fourier();
            case "pixel", "pixels" -> pixel();
            case "maco" -> maco();
            default -> throw new IllegalArgumentException("unknown image parameterisation '" + name
                    + "': use fft, pixel or maco");
        };
    }

    private static float[] normalisedColorMix() {
        double max = 0;
        for (int c = 0; c < 3; c++) {
            double n = 0;
            for (int r = 0; r < 3; r++) {
                n += COLOR_CORRELATION_SQRT[r][c] * COLOR_CORRELATION_SQRT[r][c];
            }
            max = Math.max(max, Math.sqrt(n));
        }
        float[] m = new float[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r * 3 + c] = (float) (COLOR_CORRELATION_SQRT[r][c] / max);
            }
        }
        return m;
    }

    /** RGB = M · t per pixel, for t of shape N×3×H×W. */
    static NDArray mixColours(NDArray t) {
        Shape s = t.getShape();
        NDArray mix = t.getManager().create(COLOR_MIX, new Shape(3, 3));
        return mix.matMul(t.reshape(s.get(0), 3, -1)).reshape(s);
    }

    /** The inverse of {@link #COLOR_MIX} applied on the heap (for starting from a given image). */
    static void unmixColours(float[] data, int plane, int batch) {
        double[][] m = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r][c] = COLOR_MIX[r * 3 + c];
            }
        }
        double[][] inv = invert3(m);
        for (int n = 0; n < batch; n++) {
            int base = n * 3 * plane;
            for (int i = 0; i < plane; i++) {
                double a = data[base + i];
                double b = data[base + plane + i];
                double c = data[base + 2 * plane + i];
                for (int r = 0; r < 3; r++) {
                    data[base + r * plane + i] = (float) (inv[r][0] * a + inv[r][1] * b + inv[r][2] * c);
                }
            }
        }
    }

    private static double[][] invert3(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3;
                int i2 = (j + 2) % 3;
                int j1 = (i + 1) % 3;
                int j2 = (i + 2) % 3;
                r[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
            }
        }
        return r;
    }

    /**
     * The start images as N×C×H×W logits (inverse sigmoid of the clipped pixel values): grey for one channel, RGB
     * for three, RGBA for four (see {@link Images#toTensor(List, int, int, int)}).
     */
    static float[] startLogits(List<BufferedImage> start, int batch, int channels, int h, int w) {
        if (start.size() != 1 && start.size() != batch) {
            throw new IllegalArgumentException("give one start image or one per batch entry (" + batch + "), not "
                    + start.size());
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("a start picture gives 1, 3 or 4 channels, and this model takes "
                    + channels + ": start from random parameters instead");
        }
        Tensor t = Images.toTensor(start, h, w, channels);
        int per = channels * h * w;
        float[] out = new float[batch * per];
        for (int n = 0; n < batch; n++) {
            int src = start.size() == 1 ? 0 : n;
            for (int i = 0; i < per; i++) {
                float v = Math.min(0.99f, Math.max(0.01f, t.data()[src * per + i]));
                out[n * per + i] = (float) Math.log(v / (1 - v));
            }
        }
        return out;
    }

    static NDArray sigmoid(NDArray x) {
        return Activation.sigmoid(x);
    }

    static void gaussian(float[] v, Random r, double sd) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
    }

    static NDManager managerOf(NDArray a) {
        return a.getManager();
    }
}
