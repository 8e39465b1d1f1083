package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.circuitscope.image.Images;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.tensor.Tensor;

/**
 * The magnitude spectrum of natural images that MACO keeps fixed: for each of the decorrelated colour channels
 * (the channels of {@link ImageParams#fourier()}, before the colour mix), the mean amplitude of an image's Fourier
 * coefficients falls with frequency as {@code amplitude[c] · f^−exponent[c]} (f in cycles per pixel, floored at one
 * cycle per image). {@link #IMAGENET} is that power law fitted by {@link #fit} to the 1000 ImageNet samples of the
 * shared fixtures, resized to 144 px and centre-cropped to 128; the amplitudes are relative to the first channel
 * (only their ratios matter, as MACO standardises the image).
 */
public final class NaturalSpectrum {

    /** Fitted to 1000 ImageNet images (see the class comment); {@code NaturalSpectrumTest} re-fits it. */
    public static final NaturalSpectrum IMAGENET = new NaturalSpectrum(new double[] {1, 0.6320, 0.9302},
            new double[] {1.0641, 1.2091, 1.0336});

    private final double[] amplitude;
    private final double[] exponent;

    public NaturalSpectrum(double[] amplitude, double[] exponent) {
        if (amplitude.length != 3 || exponent.length != 3) {
            throw new IllegalArgumentException("a natural spectrum has 3 amplitudes and 3 exponents, one per colour "
                    + "channel");
        }
        this.amplitude = amplitude.clone();
        this.exponent = exponent.clone();
    }

    /** The amplitude of each channel at one cycle per pixel, relative to the first channel's. */
    public double[] amplitude() {
        return amplitude.clone();
    }

    /** How fast each channel's amplitude falls with frequency (1 is 1/f). */
    public double[] exponent() {
        return exponent.clone();
    }

    /**
     * Fits the power law to images (all of one size): the mean amplitude over the images of each rfft2 coefficient
     * of each decorrelated channel (the image's mean removed), then a least-squares line through log amplitude
     * against log frequency over the coefficients above frequency 0.
     */
    public static NaturalSpectrum fit(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("fitting a spectrum needs at least one image");
        }
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        int wf = w / 2 + 1;
        int plane = h * w;
        double[] mean = new double[3 * h * wf];
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            for (int start = 0; start < images.size(); start += 50) {
                List<BufferedImage> chunk = images.subList(start, Math.min(images.size(), start + 50));
                Tensor t = Images.toTensor(chunk, h, w);
                float[] d = t.data().clone();
                int n = chunk.size();
                for (int k = 0; k < n * 3; k++) {
                    double s = 0;
                    for (int i = 0; i < plane; i++) {
                        s += d[k * plane + i];
                    }
                    float mu = (float) (s / plane);
                    for (int i = 0; i < plane; i++) {
                        d[k * plane + i] -= mu;
                    }
                }
                ImageParams.unmixColours(d, plane, n);
                try (NDManager sm = m.newSubManager()) {
                    NDArray x = sm.create(d, new Shape(n, 3, h, w));
                    NDArray ri = ((PtNDArray) x.rfft(w, 3).fft(h, 2)).real();
                    float[] mag = ri.square().sum(new int[] {4}).sqrt().sum(new int[] {0}).toFloatArray();
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += mag[i] / images.size();
                    }
                }
            }
        }
        double[] f = FourierParam.frequencies(h, w);
        double[] amp = new double[3];
        double[] exp = new double[3];
        for (int c = 0; c < 3; c++) {
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            int k = 0;
            for (int i = 0; i < h * wf; i++) {
                if (f[i] > 0 && mean[c * h * wf + i] > 0) {
                    double lx = Math.log(f[i]);
                    double ly = Math.log(mean[c * h * wf + i]);
                    sx += lx;
                    sy += ly;
                    sxx += lx * lx;
                    sxy += lx * ly;
                    k++;
                }
            }
            double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
            amp[c] = Math.exp((sy - slope * sx) / k);
            exp[c] = -slope;
        }
        double first = amp[0];
        for (int c = 0; c < 3; c++) {
            amp[c] /= first;
        }
        return new NaturalSpectrum(amp, exp);
    }

    /** The magnitudes of the rfft2 coefficients of an h×w image, channel by channel (3 × h × (w/2+1)). */
    public float[] magnitude(int h, int w) {
        double[] f = FourierParam.frequencies(h, w);
        double floor = 1.0 / Math.max(h, w);
        float[] out = new float[3 * f.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < f.length; i++) {
                out[c * f.length + i] = (float) (amplitude[c] * Math.pow(Math.max(f[i], floor), -exponent[c]));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NaturalSpectrum[amplitude %.4f, %.4f, %.4f; exponent %.4f, %.4f, %.4f]",
                amplitude[0], amplitude[1], amplitude[2], exponent[0], exponent[1], exponent[2]);
    }
}
