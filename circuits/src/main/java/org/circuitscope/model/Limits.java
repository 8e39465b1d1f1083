package org.circuitscope.model;

import java.util.Arrays;

/**
 * The largest things circuitscope reads from a file or accepts as a size, checked before any memory is set aside
 * for them: a file of a few bytes may declare a tensor of billions of values, and a declared size is only believed
 * once it is within these limits and matches the bytes that are really there.
 *
 * <p>Each limit can be raised with a system property: {@code circuitscope.max-tensor-bytes} (one tensor or one
 * archive entry, default the smaller of 2 GiB and a third of the heap), {@code circuitscope.max-model-bytes} (all of
 * a model's weights, default the smaller of 8 GiB and half the heap), {@code circuitscope.max-input-side}
 * (a model's input height or width, default 2048) and {@code circuitscope.max-image-pixels} (one decoded image,
 * default 100 million pixels).
 */
public final class Limits {
    private static final long GIB = 1L << 30;

    private Limits() {
    }

    /** The most bytes one tensor (or one entry of a model archive) may declare. */
    public static long maxTensorBytes() {
        return property("circuitscope.max-tensor-bytes", Math.min(2 * GIB, Runtime.getRuntime().maxMemory() / 3));
    }

    /** The most bytes all of a model's weights together may declare. */
    public static long maxModelBytes() {
        return property("circuitscope.max-model-bytes", Math.min(8 * GIB, Runtime.getRuntime().maxMemory() / 2));
    }

    /** The largest input height or width a model is built or run at. */
    public static int maxInputSide() {
        return (int) Math.min(Integer.MAX_VALUE, property("circuitscope.max-input-side", 2048));
    }

    /** The most pixels an image file may declare before it is decoded. */
    public static long maxImagePixels() {
        return property("circuitscope.max-image-pixels", 100_000_000L);
    }

    /**
     * The number of values a tensor of shape {@code dims} holds, refusing negative dimensions and products that
     * overflow; {@code what} names the tensor in the message (e.g. "tensor 'conv1.weight'").
     */
    public static long count(String what, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new ModelException(what + " declares a negative dimension (" + d + " in shape "
                        + Arrays.toString(dims) + "): the file is damaged or was not written by an exporter");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new ModelException(what + " declares shape " + Arrays.toString(dims) + ", more values than "
                        + "a 64-bit count holds: the file is damaged or crafted");
            }
        }
        return n;
    }

    /**
     * {@link #count} checked against {@link #maxTensorBytes()} at {@code bytesPerValue} bytes a value (4 for the
     * float32 copy circuitscope keeps), as an array length.
     */
    public static int arrayLength(String what, long[] dims, int bytesPerValue) {
        long n = count(what, dims);
        long bytes = n > Long.MAX_VALUE / bytesPerValue ? Long.MAX_VALUE : n * bytesPerValue;
        if (n > Integer.MAX_VALUE - 8 || bytes > maxTensorBytes()) {
            throw new ModelException(what + " declares shape " + Arrays.toString(dims) + " (" + n + " values, "
                    + human(bytes) + "), more than circuitscope reads into one tensor (" + human(maxTensorBytes())
                    + "; raise -Dcircuitscope.max-tensor-bytes if the model really is that large)");
        }
        return (int) n;
    }

    /** Refuses an input size outside 1..{@link #maxInputSide()}. */
    public static void checkInputSize(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new ModelException("input size must be positive, not " + height + "x" + width);
        }
        int max = maxInputSide();
        if (height > max || width > max) {
            throw new ModelException("input size " + height + "x" + width + " is too large: at most " + max + "x"
                    + max + " (a " + height + "x" + width + " RGB batch alone needs " + human(3L * 4 * height
                    * width) + ", and every layer more; raise -Dcircuitscope.max-input-side to allow it)");
        }
    }

    /** Bytes as "1.5 GiB", "12 MiB", "800 B". */
    public static String human(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (u == 0 ? String.valueOf(bytes) : String.format(java.util.Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v))
                + " " + units[u];
    }

    private static long property(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelException("system property " + name + " must be a whole number, not '" + v + "'");
        }
    }
}
