package org.circuitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * How a model wants its input. Everywhere else in circuitscope images are RGB with values in [0, 1]; this spec maps
 * them into the model's own space (value range, channel order, mean and standard deviation), as differentiable
 * array operations so gradients reach the [0, 1] image.
 *
 * @param height    the input height the model was trained at
 * @param width     the input width
 * @param bgr       whether the model reads channels in BGR order
 * @param low       the value a black pixel has before mean and std (0 for "0..1" and "0..255")
 * @param high      the value a white pixel has (1 or 255)
 * @param mean      per-channel mean subtracted, in the model's channel order and value range
 * @param std       per-channel divisor, likewise
 */
public record InputSpec(int height, int width, boolean bgr, float low, float high, float[] mean, float[] std) {

    public InputSpec {
        if (height <= 0 || width <= 0) {
            throw new ModelException("input size must be positive, not " + height + "x" + width);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new ModelException("mean and std need 3 values each (one per colour channel), not "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new ModelException("std values must be positive: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static InputSpec rgb01(int size) {
        return new InputSpec(size, size, false, 0, 1, new float[3], new float[] {1, 1, 1});
    }

    /** Reads the {@code input.*} entries of a model's metadata, falling back to {@code fallback} for missing ones. */
    public static InputSpec fromMetadata(Map<String, String> meta, InputSpec fallback) {
        int size = meta.containsKey("input.size") ? Integer.parseInt(meta.get("input.size").trim()) : -1;
        boolean bgr = meta.containsKey("input.channel_order")
                ? meta.get("input.channel_order").trim().toUpperCase(Locale.ROOT).equals("BGR") : fallback.bgr;
        float lo = fallback.low;
        float hi = fallback.high;
        if (meta.containsKey("input.range")) {
            String[] r = meta.get("input.range").split("\\.\\.");
            if (r.length != 2) {
                throw new ModelException("metadata input.range must look like 0..255, not '"
                        + meta.get("input.range") + "'");
            }
            lo = Float.parseFloat(r[0].trim());
            hi = Float.parseFloat(r[1].trim());
        }
        float[] mean = meta.containsKey("input.mean") ? floats(meta.get("input.mean")) : fallback.mean;
        float[] std = meta.containsKey("input.std") ? floats(meta.get("input.std")) : fallback.std;
        int h = size > 0 ? size : fallback.height;
        int w = size > 0 ? size : fallback.width;
        return new InputSpec(h, w, bgr, lo, hi, mean, std);
    }

    public static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] f = new float[parts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.parseFloat(parts[i].trim());
        }
        return f.length == 1 ? new float[] {f[0], f[0], f[0]} : f;
    }

    public InputSpec withSize(int h, int w) {
        return new InputSpec(h, w, bgr, low, high, mean, std);
    }

    public InputSpec withMean(float[] m) {
        return new InputSpec(height, width, bgr, low, high, m, std);
    }

    public InputSpec withStd(float[] s) {
        return new InputSpec(height, width, bgr, low, high, mean, s);
    }

    public InputSpec withBgr(boolean b) {
        return new InputSpec(height, width, b, low, high, mean, std);
    }

    public InputSpec withRange(float lo, float hi) {
        return new InputSpec(height, width, bgr, lo, hi, mean, std);
    }

    /** Maps an N×3×H×W RGB [0, 1] array into the model's input space. */
    public NDArray toModelSpace(NDArray rgb01) {
        NDArray x = rgb01;
        if (low != 0 || high != 1) {
            x = x.mul(high - low).add(low);
        }
        if (bgr) {
            x = x.flip(1);
        }
        boolean hasMean = mean[0] != 0 || mean[1] != 0 || mean[2] != 0;
        boolean hasStd = std[0] != 1 || std[1] != 1 || std[2] != 1;
        if (hasMean) {
            x = x.sub(x.getManager().create(mean, new Shape(1, 3, 1, 1)));
        }
        if (hasStd) {
            x = x.div(x.getManager().create(std, new Shape(1, 3, 1, 1)));
        }
        return x;
    }

    @Override
    public String toString() {
        return height + "x" + width + " " + (bgr ? "BGR" : "RGB") + " " + fmt(low) + ".." + fmt(high) + ", mean "
                + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    private static String fmt(float f) {
        return f == Math.rint(f) ? String.valueOf((int) f) : String.valueOf(f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && s.height == height && s.width == width && s.bgr == bgr && s.low == low
                && s.high == high && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + height * 7 + width;
    }
}
