package org.circuitscope.featurevis.transform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.circuitscope.featurevis.transform.Transform.Placed;

/**
 * The transforms of Lucid's {@code optvis.transform}: constant padding, jitter (random crop), random scale and random
 * rotation, and {@link #standard()}, Lucid's default sequence. Scale and rotation resample bilinearly (half-pixel
 * centres, borders repeated) with an index gather on the flattened image, which PyTorch differentiates (a
 * scatter-add of the weights back to the source pixels); {@link #scaleRotate} does both in one resampling. One random
 * draw serves the whole batch, as in Lucid.
 */
public final class Transforms {
    private Transforms() {
    }

    /** No change. */
    public static Transform none() {
        return named("none", (x, r) -> new Placed(x, Placement.IDENTITY), s -> s);
    }

    /** Pads each side by {@code pixels} with a constant value (Lucid pads with 0.5, mid grey). */
    public static Transform pad(int pixels, double value) {
        if (pixels < 0) {
            throw new IllegalArgumentException("padding must be 0 or more, not " + pixels);
        }
        return named("pad(" + pixels + ")", (x, r) -> pixels == 0 ? new Placed(x, Placement.IDENTITY)
                : new Placed(x.pad(new Shape(pixels, pixels, pixels, pixels), value),
                        Placement.shift(pixels, pixels)), s -> s + 2 * pixels);
    }

    public static Transform pad(int pixels) {
        return pad(pixels, 0.5);
    }

    /** A random crop that removes {@code pixels} rows and columns in all: a shift of 0..pixels in each direction. */
    public static Transform jitter(int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("jitter must be 0 or more, not " + pixels);
        }
        return named("jitter(" + pixels + ")", (x, r) -> {
            if (pixels == 0) {
                return new Placed(x, Placement.IDENTITY);
            }
            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            if (h <= pixels || w <= pixels) {
                throw new IllegalArgumentException("cannot jitter a " + h + "x" + w + " image by " + pixels);
            }
            int dy = r.nextInt(pixels + 1);
            int dx = r.nextInt(pixels + 1);
            return new Placed(x.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h - pixels, dx, dx + w - pixels)),
                    Placement.shift(-dx, -dy));
        }, s -> s - pixels);
    }

    /** Resizes by a factor drawn from {@code factors} (bilinear; the image grows or shrinks). */
    public static Transform scale(double... factors) {
        double[] f = factors.clone();
        if (f.length == 0) {
            throw new IllegalArgumentException("scale needs at least one factor");
        }
        double min = Arrays.stream(f).min().orElse(1);
        return named("scale" + Arrays.toString(new double[] {min, Arrays.stream(f).max().orElse(1)}), (x, r) -> {
            double s = f[r.nextInt(f.length)];
            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            int oh = Math.max(1, (int) Math.round(h * s));
            int ow = Math.max(1, (int) Math.round(w * s));
            if (oh == h && ow == w) {
                return new Placed(x, Placement.IDENTITY);
            }
            return new Placed(resize(x, oh, ow), Placement.scale(ow / (double) w, oh / (double) h));
        }, s -> (int) Math.floor(s * min));
    }

    /** {@code count} factors evenly from {@code low} to {@code high}. */
    public static Transform scale(double low, double high, int count) {
        return scale(evenly(low, high, count));
    }

    private static double[] evenly(double low, double high, int count) {
        double[] f = new double[count];
        for (int i = 0; i < count; i++) {
            f[i] = count == 1 ? low : low + (high - low) * i / (count - 1);
        }
        return f;
    }

    /** Lucid's scales: 0.9 to 1.1 in steps of 0.02. */
    private static double[] lucidScales() {
        return evenly(0.9, 1.1, 11);
    }

    /** Rotates about the centre by an angle in degrees drawn from {@code degrees}; the size stays the same. */
    public static Transform rotate(double... degrees) {
        double[] d = degrees.clone();
        if (d.length == 0) {
            throw new IllegalArgumentException("rotate needs at least one angle");
        }
        return named("rotate[" + Arrays.stream(d).min().orElse(0) + ", " + Arrays.stream(d).max().orElse(0) + "]",
                (x, r) -> {
                    double a = d[r.nextInt(d.length)];
                    if (a == 0) {
                        return new Placed(x, Placement.IDENTITY);
                    }
                    return new Placed(rotate(x, Math.toRadians(a)), Placement.rotation(Math.toRadians(a),
                            (int) x.getShape().get(2), (int) x.getShape().get(3)));
                }, s -> s);
    }

    /**
     * {@link #scale} by a factor drawn from {@code factors}, then {@link #rotate} by an angle drawn from
     * {@code degrees}, as one bilinear resampling of the composed map (the draws in the same order as the two
     * transforms make them, and the same {@link Placement}). Each output pixel is read once from the input instead of
     * from an interpolated intermediate image: a little less blur, and one resampling's work instead of two (with its
     * backward pass), which is most of what the transforms cost a step.
     */
    public static Transform scaleRotate(double[] factors, double[] degrees) {
        Transform scale = scale(factors);
        Transform rotate = rotate(degrees);
        double[] f = factors.clone();
        double[] d = degrees.clone();
        return named(scale + ", " + rotate, (x, r) -> {
            double s = f[r.nextInt(f.length)];
            double a = Math.toRadians(d[r.nextInt(d.length)]);
            int h = (int) x.getShape().get(2);
            int w = (int) x.getShape().get(3);
            int oh = Math.max(1, (int) Math.round(h * s));
            int ow = Math.max(1, (int) Math.round(w * s));
            if (oh == h && ow == w && a == 0) {
                return new Placed(x, Placement.IDENTITY);
            }
            Placement scaled = Placement.scale(ow / (double) w, oh / (double) h);
            return new Placed(resample(x, oh, ow, a), a == 0 ? scaled : scaled.then(Placement.rotation(a, oh, ow)));
        }, n -> rotate.minOutputSize(scale.minOutputSize(n)));
    }

    /** Applies {@code transforms} in order. */
    public static Transform compose(Transform... transforms) {
        List<Transform> list = new ArrayList<>(List.of(transforms));
        StringBuilder name = new StringBuilder();
        for (Transform t : list) {
            name.append(name.length() == 0 ? "" : ", ").append(t);
        }
        return named(name.toString(), (x, r) -> {
            NDArray y = x;
            Placement where = Placement.IDENTITY;
            for (Transform t : list) {
                Placed p = t.place(y, r);
                y = p.images();
                where = where.then(p.placement());
            }
            return new Placed(y, where);
        }, s -> {
            int v = s;
            for (Transform t : list) {
                v = t.minOutputSize(v);
            }
            return v;
        });
    }

    /**
     * Lucid's standard transforms: pad 12 (grey), jitter 8, scale 0.9–1.1 and rotate −10°…10° (zero five times as
     * likely as any other angle; the two in one resampling, {@link #scaleRotate}), jitter 4.
     */
    public static Transform standard() {
        double[] angles = new double[21 + 5];
        for (int i = 0; i <= 20; i++) {
            angles[i] = i - 10;
        }
        return compose(pad(12), jitter(8), scaleRotate(lucidScales(), angles), jitter(4));
    }

    // ---- resampling

    /**
     * Bilinear resize with half-pixel centres and borders repeated: PyTorch's {@code interpolate(mode="bilinear",
     * align_corners=False)} without antialiasing, as in Lucid (DJL's interpolation op always antialiases, which
     * blurs a downscale).
     */
    public static NDArray resize(NDArray x, int outH, int outW) {
        return resample(x, outH, outW, 0);
    }

    /**
     * Rotation about the image centre by {@code radians}, bilinear, with source positions outside the image
     * clamped to its border (so rotated corners repeat the edge instead of turning black).
     */
    public static NDArray rotate(NDArray x, double radians) {
        return resample(x, (int) x.getShape().get(2), (int) x.getShape().get(3), radians);
    }

    /**
     * The image resized to outH×outW (half-pixel centres) and turned by {@code radians} about its centre, read in
     * one bilinear pass: output pixel q of the resized image takes the point p = R(q − c) + c of it (c its centre,
     * R the rotation on (dy, dx)), which is the input's point (p + ½)·in/out − ½ in each axis, clamped to the
     * input's border — what {@code grid_sample(bilinear, padding "border", align_corners=False)} of the same
     * affine map computes.
     */
    static NDArray resample(NDArray x, int outH, int outW, double radians) {
        NDManager m = x.getManager();
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int plane = outH * outW;
        // the four neighbours of every output pixel, side by side: one gather (backward: one scatter-add)
        long[] idx = new long[4 * plane];
        float[] wt = new float[4 * plane];
        double cy = (outH - 1) / 2.0;
        double cx = (outW - 1) / 2.0;
        double ky = h / (double) outH;
        double kx = w / (double) outW;
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        for (int y = 0; y < outH; y++) {
            for (int xx = 0; xx < outW; xx++) {
                double dy = y - cy;
                double dx = xx - cx;
                double py = cos * dy - sin * dx + cy;
                double px = sin * dy + cos * dx + cx;
                double sy = Math.min(Math.max((py + 0.5) * ky - 0.5, 0), h - 1);
                double sx = Math.min(Math.max((px + 0.5) * kx - 0.5, 0), w - 1);
                int y0 = Math.min((int) Math.floor(sy), h - 1);
                int x0 = Math.min((int) Math.floor(sx), w - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double ty = sy - y0;
                double tx = sx - x0;
                int o = y * outW + xx;
                idx[o] = (long) y0 * w + x0;
                idx[plane + o] = (long) y0 * w + x1;
                idx[2 * plane + o] = (long) y1 * w + x0;
                idx[3 * plane + o] = (long) y1 * w + x1;
                wt[o] = (float) ((1 - ty) * (1 - tx));
                wt[plane + o] = (float) ((1 - ty) * tx);
                wt[2 * plane + o] = (float) (ty * (1 - tx));
                wt[3 * plane + o] = (float) (ty * tx);
            }
        }
        long rows = s.get(0) * s.get(1);
        NDArray flat = x.reshape(rows, (long) h * w);
        NDArray index = m.create(idx, new Shape(1, 4L * plane)).broadcast(new Shape(rows, 4L * plane));
        NDArray corners = flat.gather(index, 1).reshape(rows, 4, plane);
        return corners.mul(m.create(wt, new Shape(1, 4, plane))).sum(new int[] {1})
                .reshape(s.get(0), s.get(1), outH, outW);
    }

    /** A transform that knows where it puts the image's points. */
    @FunctionalInterface
    private interface Placing {
        Placed place(NDArray images, Random random);
    }

    private static Transform named(String name, Placing t, java.util.function.IntUnaryOperator size) {
        return new Transform() {
            @Override
            public NDArray apply(NDArray images, Random random) {
                return t.place(images, random).images();
            }

            @Override
            public Placed place(NDArray images, Random random) {
                return t.place(images, random);
            }

            @Override
            public int minOutputSize(int s) {
                return size.applyAsInt(s);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
