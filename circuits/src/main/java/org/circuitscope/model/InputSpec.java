package org.circuitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.image.Images;
import org.circuitscope.tensor.Tensor;

/**
 * How a model wants its input. Everywhere else in circuitscope images have values in [0, 1], RGB for a 3-channel
 * model, grey for a 1-channel one, RGBA for a 4-channel one; this spec turns pictures into such tensors (central
 * crop, resize) and maps those tensors into the model's own space (value range, channel order, mean and standard
 * deviation) as differentiable array operations, so gradients reach the [0, 1] image.
 *
 * @param height   the input height the model was trained at
 * @param width    the input width
 * @param channels the number of input channels (1 grey, 3 RGB, 4 RGBA, or any other count for tensors)
 * @param bgr      whether a 3-channel model reads channels in BGR order
 * @param low      the value a black pixel has before mean and std (0 for "0..1" and "0..255")
 * @param high     the value a white pixel has (1 or 255)
 * @param mean     per-channel mean subtracted, in the model's channel order and value range
 * @param std      per-channel divisor, likewise
 * @param crop     the central fraction of a picture kept before it is resized (1: the whole picture; TF and Keras
 *                 ImageNet models are evaluated on a central 0.875)
 */
public record InputSpec(int height, int width, int channels, boolean bgr, float low, float high, float[] mean,
                        float[] std, float crop) {

    public InputSpec {
        Limits.checkInputSize(height, width);
        if (channels <= 0) {
            throw new ModelException("a model input needs at least one channel, not " + channels);
        }
        mean = perChannel("mean", mean, channels);
        std = perChannel("std", std, channels);
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new ModelException("std values must be positive and finite: " + Arrays.toString(std));
            }
        }
        for (float v : mean) {
            if (!Float.isFinite(v)) {
                throw new ModelException("mean values must be finite: " + Arrays.toString(mean));
            }
        }
        if (bgr && channels != 3) {
            throw new ModelException("BGR channel order needs a 3-channel input, not " + channels + " channels");
        }
        if (!(crop > 0 && crop <= 1)) {
            throw new ModelException("the central crop must be a fraction in (0, 1], not " + crop);
        }
        if (!Float.isFinite(low) || !Float.isFinite(high) || low == high) {
            throw new ModelException("the input range needs two different finite values, not " + low + ".." + high);
        }
    }

    /** A 3-channel spec without a crop. */
    public InputSpec(int height, int width, boolean bgr, float low, float high, float[] mean, float[] std) {
        this(height, width, 3, bgr, low, high, mean, std, 1f);
    }

    private static float[] perChannel(String what, float[] values, int channels) {
        if (values.length == channels) {
            return values.clone();
        }
        if (values.length == 1) {
            float[] r = new float[channels];
            Arrays.fill(r, values[0]);
            return r;
        }
        throw new ModelException(what + " needs " + channels + " values (one per input channel) or one for all, not "
                + values.length + " " + Arrays.toString(values));
    }

    /** RGB in [0, 1] at size×size, as the model sees it. */
    public static InputSpec rgb01(int size) {
        return plain(size, size, 3);
    }

    /** {@code channels} channels in [0, 1] at height×width, no normalisation. */
    public static InputSpec plain(int height, int width, int channels) {
        float[] zero = new float[channels];
        float[] one = new float[channels];
        Arrays.fill(one, 1f);
        return new InputSpec(height, width, channels, false, 0, 1, zero, one, 1f);
    }

    /**
     * Reads the {@code input.*} entries of a model's metadata ({@code input.size}, {@code input.channel_order},
     * {@code input.range}, {@code input.mean}, {@code input.std}, {@code input.crop}), falling back to
     * {@code fallback} for missing ones. A malformed entry is refused with its key and value.
     */
    public static InputSpec fromMetadata(Map<String, String> meta, InputSpec fallback) {
        int size = meta.containsKey("input.size") ? (int) number(meta, "input.size") : -1;
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
            lo = parse("input.range", r[0]);
            hi = parse("input.range", r[1]);
        }
        float[] mean = meta.containsKey("input.mean") ? floats("input.mean", meta.get("input.mean")) : fallback.mean;
        float[] std = meta.containsKey("input.std") ? floats("input.std", meta.get("input.std")) : fallback.std;
        float crop = meta.containsKey("input.crop") ? (float) number(meta, "input.crop") : fallback.crop;
        int h = size > 0 ? size : fallback.height;
        int w = size > 0 ? size : fallback.width;
        return new InputSpec(h, w, fallback.channels, bgr, lo, hi, mean, std, crop);
    }

    private static double number(Map<String, String> meta, String key) {
        return parse(key, meta.get(key));
    }

    private static float parse(String key, String text) {
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new ModelException("metadata " + key + " must be a number, not '" + text + "'");
        }
    }

    /** Comma-separated floats; one value stands for every channel. */
    public static float[] floats(String csv) {
        return floats("value", csv);
    }

    private static float[] floats(String key, String csv) {
        String[] parts = csv.split(",");
        float[] f = new float[parts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = parse(key, parts[i]);
        }
        return f;
    }

    public InputSpec withSize(int h, int w) {
        return new InputSpec(h, w, channels, bgr, low, high, mean, std, crop);
    }

    public InputSpec withMean(float[] m) {
        return new InputSpec(height, width, channels, bgr, low, high, m, std, crop);
    }

    public InputSpec withStd(float[] s) {
        return new InputSpec(height, width, channels, bgr, low, high, mean, s, crop);
    }

    public InputSpec withBgr(boolean b) {
        return new InputSpec(height, width, channels, b, low, high, mean, std, crop);
    }

    public InputSpec withRange(float lo, float hi) {
        return new InputSpec(height, width, channels, bgr, lo, hi, mean, std, crop);
    }

    public InputSpec withCrop(float fraction) {
        return new InputSpec(height, width, channels, bgr, low, high, mean, std, fraction);
    }

    /**
     * The same preprocessing for {@code n} channels: a per-channel mean or std that is the same for every channel
     * carries over; others must be given again.
     */
    public InputSpec withChannels(int n) {
        if (n == channels) {
            return this;
        }
        return new InputSpec(height, width, n, bgr && n == 3, low, high, uniform("mean", mean, n),
                uniform("std", std, n), crop);
    }

    private static float[] uniform(String what, float[] v, int n) {
        for (float f : v) {
            if (f != v[0]) {
                throw new ModelException("the " + what + " " + Arrays.toString(v) + " differs per channel; give one "
                        + "for " + n + " channels");
            }
        }
        return new float[] {v[0]};
    }

    /** The input shape for a batch of {@code n}: n×channels×height×width. */
    public long[] shape(int n) {
        return new long[] {n, channels, height, width};
    }

    /**
     * Pictures as a batch N×C×H×W with values in [0, 1], each as {@link #picture} makes it, converted to the
     * input's channels (grey as ITU-R BT.601 luma for one channel, RGB for three, RGBA for four).
     */
    public Tensor images(List<BufferedImage> pictures) {
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new ModelException("pictures can be fed only to 1-, 3- or 4-channel models; this one takes "
                    + channels + " channels: give it tensors (Model.run(Tensor, ...))");
        }
        return Images.toTensor(crop == 1f ? pictures : pictures.stream().map(this::cropped).toList(), height, width,
                channels);
    }

    /**
     * A picture as the model sees it, before channel conversion: its central {@link #crop()} fraction, resized
     * (bilinear) to the input size. Receptive-field boxes are in this picture's coordinates.
     */
    public BufferedImage picture(BufferedImage img) {
        BufferedImage c = crop == 1f ? img : cropped(img);
        return c.getWidth() == width && c.getHeight() == height ? c : Images.resize(c, width, height);
    }

    private BufferedImage cropped(BufferedImage img) {
        int w = Math.max(1, Math.round(img.getWidth() * crop));
        int h = Math.max(1, Math.round(img.getHeight() * crop));
        return Images.centerCrop(img, w, h);
    }

    /** Maps an N×C×H×W [0, 1] array into the model's input space. */
    public NDArray toModelSpace(NDArray x01) {
        NDArray x = x01;
        if (low != 0 || high != 1) {
            x = x.mul(high - low).add(low);
        }
        if (bgr) {
            x = x.flip(1);
        }
        boolean hasMean = false;
        boolean hasStd = false;
        for (int c = 0; c < channels; c++) {
            hasMean |= mean[c] != 0;
            hasStd |= std[c] != 1;
        }
        Shape perChannel = new Shape(1, channels, 1, 1);
        if (hasMean) {
            x = x.sub(x.getManager().create(mean, perChannel));
        }
        if (hasStd) {
            x = x.div(x.getManager().create(std, perChannel));
        }
        return x;
    }

    @Override
    public String toString() {
        String order = switch (channels) {
            case 1 -> "grey";
            case 3 -> bgr ? "BGR" : "RGB";
            case 4 -> "RGBA";
            default -> channels + "-channel";
        };
        return height + "x" + width + " " + order + " " + fmt(low) + ".." + fmt(high) + ", mean "
                + Arrays.toString(mean) + ", std " + Arrays.toString(std)
                + (crop == 1f ? "" : ", central crop " + fmt(crop));
    }

    private static String fmt(float f) {
        return f == Math.rint(f) ? String.valueOf((int) f) : String.valueOf(f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && s.height == height && s.width == width && s.channels == channels
                && s.bgr == bgr && s.low == low && s.high == high && Arrays.equals(s.mean, mean)
                && Arrays.equals(s.std, std) && s.crop == crop;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + height * 7 + width + channels * 13;
    }
}
