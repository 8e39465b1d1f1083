package org.circuitscope.tflite;

import java.awt.image.BufferedImage;

/**
 * The preprocessing the reference accuracy of {@code ../shared/models/tflite/README.md} was measured with, as PIL
 * does it: a central crop of {@code fraction} of width and height (TensorFlow's central_crop arithmetic: the
 * margin is truncated), then PIL's BILINEAR resize, a triangle filter whose support widens with the downscale
 * factor (so it averages, where Java2D's bilinear samples), one pass per axis with the intermediate rounded to
 * 8 bits. Test-only: it reproduces a published figure, it is not how circuitscope resizes.
 */
final class PilPreprocessing {
    private PilPreprocessing() {
    }

    static BufferedImage cropAndResize(BufferedImage img, float fraction, int size) {
        int w = img.getWidth();
        int h = img.getHeight();
        int mx = (int) ((w - w * (double) fraction) / 2);
        int my = (int) ((h - h * (double) fraction) / 2);
        int cw = w - 2 * mx;
        int ch = h - 2 * my;
        int[][] rgb = new int[3][cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int p = img.getRGB(mx + x, my + y);
                rgb[0][y * cw + x] = (p >> 16) & 0xff;
                rgb[1][y * cw + x] = (p >> 8) & 0xff;
                rgb[2][y * cw + x] = p & 0xff;
            }
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[][] resized = new int[3][];
        for (int c = 0; c < 3; c++) {
            int[] horizontal = pass(rgb[c], cw, ch, size, true);
            resized[c] = pass(horizontal, size, ch, size, false);
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                out.setRGB(x, y, (resized[0][i] << 16) | (resized[1][i] << 8) | resized[2][i]);
            }
        }
        return out;
    }

    /** One resampling pass along x ({@code horizontal}) or y, from w×h to the new length along that axis. */
    private static int[] pass(int[] in, int w, int h, int newLength, boolean horizontal) {
        int inLength = horizontal ? w : h;
        double scale = inLength / (double) newLength;
        double filterScale = Math.max(scale, 1);
        double support = filterScale; // the triangle's support of 1, widened
        int outW = horizontal ? newLength : w;
        int outH = horizontal ? h : newLength;
        int[] out = new int[outW * outH];
        for (int o = 0; o < newLength; o++) {
            double center = (o + 0.5) * scale;
            int lo = Math.max(0, (int) (center - support + 0.5));
            int hi = Math.min(inLength, (int) (center + support + 0.5));
            double[] wts = new double[hi - lo];
            double total = 0;
            for (int j = lo; j < hi; j++) {
                double t = Math.abs((j - center + 0.5) / filterScale);
                wts[j - lo] = t < 1 ? 1 - t : 0;
                total += wts[j - lo];
            }
            int across = horizontal ? h : w;
            for (int k = 0; k < across; k++) {
                double s = 0;
                for (int j = lo; j < hi; j++) {
                    int idx = horizontal ? k * w + j : j * w + k;
                    s += in[idx] * wts[j - lo];
                }
                int v = (int) Math.max(0, Math.min(255, Math.round(s / total)));
                out[horizontal ? k * outW + o : o * outW + k] = v;
            }
        }
        return out;
    }
}
