package org.circuitscope.featurevis;

import java.awt.image.BufferedImage;

/** Measurements of images that tell how a visualisation looks: its frequency content and its clipped colours. */
public final class ImageStats {
    private ImageStats() {
    }

    /**
     * The share of an image's spectral energy (DFT of each RGB channel, mean removed) at radial frequencies above
     * {@code cutoff} cycles per pixel; the Nyquist frequency is 0.5, so 0.25 is "above half Nyquist".
     */
    public static double energyAbove(BufferedImage img, double cutoff) {
        int h = img.getHeight();
        int w = img.getWidth();
        double high = 0;
        double total = 0;
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int c = 0; c < 3; c++) {
            double[] x = new double[h * w];
            double mean = 0;
            for (int i = 0; i < x.length; i++) {
                x[i] = ((rgb[i] >> (16 - 8 * c)) & 0xff) / 255.0;
                mean += x[i];
            }
            mean /= x.length;
            for (int i = 0; i < x.length; i++) {
                x[i] -= mean;
            }
            // DFT along rows, then along columns
            double[] re = new double[h * w];
            double[] im = new double[h * w];
            for (int y = 0; y < h; y++) {
                for (int k = 0; k < w; k++) {
                    double sr = 0;
                    double si = 0;
                    for (int xx = 0; xx < w; xx++) {
                        double a = -2 * Math.PI * ((long) k * xx % w) / w;
                        sr += x[y * w + xx] * Math.cos(a);
                        si += x[y * w + xx] * Math.sin(a);
                    }
                    re[y * w + k] = sr;
                    im[y * w + k] = si;
                }
            }
            for (int k = 0; k < w; k++) {
                double fx = (k <= w / 2 ? k : k - w) / (double) w;
                for (int ky = 0; ky < h; ky++) {
                    double sr = 0;
                    double si = 0;
                    for (int y = 0; y < h; y++) {
                        double a = -2 * Math.PI * ((long) ky * y % h) / h;
                        double cr = Math.cos(a);
                        double ci = Math.sin(a);
                        sr += re[y * w + k] * cr - im[y * w + k] * ci;
                        si += re[y * w + k] * ci + im[y * w + k] * cr;
                    }
                    double fy = (ky <= h / 2 ? ky : ky - h) / (double) h;
                    double e = sr * sr + si * si;
                    total += e;
                    if (Math.sqrt(fx * fx + fy * fy) > cutoff) {
                        high += e;
                    }
                }
            }
        }
        return total == 0 ? 0 : high / total;
    }

    /** The share of colour values (R, G and B of every pixel) that are 0 or 255. */
    public static double clippedShare(BufferedImage img) {
        return saturatedShare(img, 0);
    }

    /**
     * The share of colour values within {@code levels} of 0 or 255: how much of the image sits in the sigmoid's
     * tails, where a visualisation turns to flat primary colours. ImageNet photographs at 128 px: about 2% within 5
     * levels (median of the shared samples).
     */
    public static double saturatedShare(BufferedImage img, int levels) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        long n = 0;
        for (int p : rgb) {
            for (int s = 0; s < 24; s += 8) {
                int v = (p >> s) & 0xff;
                if (v <= levels || v >= 255 - levels) {
                    n++;
                }
            }
        }
        return n / (3.0 * rgb.length);
    }

    /** {@link #energyAbove} at half the Nyquist frequency (0.25 cycles per pixel). */
    public static double highFrequencyShare(BufferedImage img) {
        return energyAbove(img, 0.25);
    }
}
