package org.circuitscope.tflite;

/**
 * TensorFlow Lite's float kernels as plain loops over one NHWC image (H×W×C, row-major), written from the op
 * definitions so that the importer's translation (layouts, TF "SAME" padding, depthwise channel order) is checked
 * against something that shares none of its code.
 */
final class NhwcReference {
    /** An image: height, width, channels, and data [y][x][c]. */
    record Image(int h, int w, int c, float[] data) {
        float at(int y, int x, int ch) {
            return data[(y * w + x) * c + ch];
        }
    }

    private NhwcReference() {
    }

    /** Output size and the padding before the first row/column, as TensorFlow defines SAME and VALID. */
    static int[] outAndPadBefore(int in, int kernel, int stride, int dilation, boolean same) {
        int eff = (kernel - 1) * dilation + 1;
        int out = same ? (in + stride - 1) / stride : (in - eff) / stride + 1;
        int total = Math.max((out - 1) * stride + eff - in, 0);
        return new int[] {out, same ? total / 2 : 0};
    }

    /**
     * CONV_2D (filter O×kH×kW×I, groups = C / I) or DEPTHWISE_CONV_2D (filter 1×kH×kW×C·M, output channel c·M+m
     * reads input channel c), with the bias added.
     */
    static Image conv(Image x, float[] filter, int[] fshape, float[] bias, int stride, int dilation, boolean same,
                      boolean depthwise) {
        int kh = fshape[1];
        int kw = fshape[2];
        int outC = depthwise ? fshape[3] : fshape[0];
        int[] oy = outAndPadBefore(x.h(), kh, stride, dilation, same);
        int[] ox = outAndPadBefore(x.w(), kw, stride, dilation, same);
        float[] out = new float[oy[0] * ox[0] * outC];
        int perGroupIn = depthwise ? 1 : fshape[3];
        int groups = depthwise ? x.c() : x.c() / perGroupIn;
        int perGroupOut = outC / groups;
        for (int y = 0; y < oy[0]; y++) {
            for (int xx = 0; xx < ox[0]; xx++) {
                for (int o = 0; o < outC; o++) {
                    double s = bias == null ? 0 : bias[o];
                    int g = o / perGroupOut;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = y * stride - oy[1] + ky * dilation;
                        if (iy < 0 || iy >= x.h()) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = xx * stride - ox[1] + kx * dilation;
                            if (ix < 0 || ix >= x.w()) {
                                continue;
                            }
                            for (int i = 0; i < perGroupIn; i++) {
                                int ic = g * perGroupIn + i;
                                float wv = depthwise ? filter[(ky * kw + kx) * outC + o]
                                        : filter[((o * kh + ky) * kw + kx) * perGroupIn + i];
                                s += wv * x.at(iy, ix, ic);
                            }
                        }
                    }
                    out[(y * ox[0] + xx) * outC + o] = (float) s;
                }
            }
        }
        return new Image(oy[0], ox[0], outC, out);
    }

    /** MAX_POOL_2D / AVERAGE_POOL_2D over the part of each window inside the image. */
    static Image pool(Image x, int kh, int kw, int stride, boolean same, boolean max) {
        int[] oy = outAndPadBefore(x.h(), kh, stride, 1, same);
        int[] ox = outAndPadBefore(x.w(), kw, stride, 1, same);
        float[] out = new float[oy[0] * ox[0] * x.c()];
        for (int y = 0; y < oy[0]; y++) {
            for (int xx = 0; xx < ox[0]; xx++) {
                for (int c = 0; c < x.c(); c++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int n = 0;
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int iy = y * stride - oy[1] + ky;
                            int ix = xx * stride - ox[1] + kx;
                            if (iy < 0 || iy >= x.h() || ix < 0 || ix >= x.w()) {
                                continue;
                            }
                            float v = x.at(iy, ix, c);
                            acc = max ? Math.max(acc, v) : acc + v;
                            n++;
                        }
                    }
                    out[(y * ox[0] + xx) * x.c() + c] = (float) (max ? acc : acc / n);
                }
            }
        }
        return new Image(oy[0], ox[0], x.c(), out);
    }

    static Image clip(Image x, float lo, float hi) {
        float[] d = x.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(lo, Math.min(hi, d[i]));
        }
        return new Image(x.h(), x.w(), x.c(), d);
    }

    /** An NCHW batch's image {@code n} as NHWC. */
    static Image fromNchw(float[] nchw, long[] shape, int n) {
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        float[] d = new float[h * w * c];
        int base = n * c * h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(y * w + x) * c + ch] = nchw[base + (ch * h + y) * w + x];
                }
            }
        }
        return new Image(h, w, c, d);
    }

    /** The largest absolute difference between two images of the same size, or infinity when their sizes differ. */
    static double maxDifference(Image a, Image b) {
        if (a.h() != b.h() || a.w() != b.w() || a.c() != b.c()) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
