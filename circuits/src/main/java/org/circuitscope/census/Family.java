package org.circuitscope.census;

import java.util.Locale;

/**
 * The early-vision feature families the Circuits thread catalogued (Olah et al., "An Overview of Early Vision in
 * InceptionV1", 2020), each recognised by a rule in {@link Rules} on the unit's responses to a {@link Battery} of
 * synthetic stimuli and its statistics on a data set ({@link Rules#classify} says how a unit that passes two rules
 * is placed).
 */
public enum Family {
    CENTER_SURROUND("centre-surround"),
    BOUNDARY("boundary"),
    COLOR_CONTRAST("colour contrast"),
    HIGH_LOW("high-low frequency"),
    CURVE("curve"),
    COMPLEX_GABOR("complex Gabor"),
    GABOR("Gabor"),
    LINE("line/edge");

    private final String label;

    Family(String label) {
        this.label = label;
    }

    /** The family's name as the tables print it. */
    public String label() {
        return label;
    }

    /** By label or constant name, in any case ("curve", "high-low", "complex_gabor", "line", "edge"). */
    public static Family parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        for (Family f : values()) {
            if (f.label.toLowerCase(Locale.ROOT).replace('-', ' ').equals(k)
                    || f.name().toLowerCase(Locale.ROOT).replace('_', ' ').equals(k)) {
                return f;
            }
        }
        return switch (k) {
            case "line", "edge", "line/edge" -> LINE;
            case "centre surround", "center surround" -> CENTER_SURROUND;
            case "colour contrast", "color" -> COLOR_CONTRAST;
            case "high low" -> HIGH_LOW;
            default -> throw new IllegalArgumentException("unknown family '" + s + "': use curve, line, high-low, "
                    + "colour contrast, centre-surround, gabor, complex gabor or boundary");
        };
    }
}
