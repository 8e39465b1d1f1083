package org.circuitscope.activations;

import java.util.Locale;

/**
 * How a spatial activation map (one channel of one image, H×W) becomes numbers for a table: its maximum, its mean,
 * its value at the centre position ({@code (H/2, W/2)}, integer division: where centred stimuli land), or every
 * position ({@link #NONE}, with {@code y} and {@code x} columns). Layers without positions (N×C) are not reduced.
 */
public enum Reduce {
    MAX, MEAN, CENTER, NONE;

    /** Reduces {@code h*w} values of {@code data} starting at {@code offset}. */
    public float apply(float[] data, int offset, int h, int w) {
        int n = h * w;
        switch (this) {
            case MAX -> {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = offset; i < offset + n; i++) {
                    if (data[i] > m) {
                        m = data[i];
                    }
                }
                return m;
            }
            case MEAN -> {
                double s = 0;
                for (int i = offset; i < offset + n; i++) {
                    s += data[i];
                }
                return (float) (s / n);
            }
            case CENTER -> {
                return data[offset + (h / 2) * w + w / 2];
            }
            default -> throw new IllegalStateException("NONE keeps every position; it reduces nothing");
        }
    }

    /** Parses max, mean, center (or centre) and none, in any case. */
    public static Reduce parse(String s) {
        String k = s.trim().toUpperCase(Locale.ROOT);
        if (k.equals("CENTRE")) {
            return CENTER;
        }
        try {
            return valueOf(k);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown reduction '" + s + "': use max, mean, center or none");
        }
    }
}
