package org.circuitscope.magics.tuning;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.magics.MagicException;
import org.circuitscope.stimuli.Stimuli;
import org.circuitscope.stimuli.StimulusSet;

/**
 * Stimuli written on a magic's line: a kind ({@code curves}, {@code lines}, {@code edges}, {@code angles},
 * {@code gratings}, {@code boundaries}), optionally followed by {@code ?name=values&name=values}; values are a range
 * {@code from:to:step} (to excluded) or a list {@code a,b,c}. Names: orient(ation), radius, curvature, thickness,
 * span, length, opening, freq(uency), phase, high, low, color (the shape's colours: names or #rrggbb), background
 * (plain, noise, and/or background colours), polarity (dark = dark on light, light = light on dark, or both).
 */
public final class StimulusSpecs {
    /** The option names the magics accept for stimulus parameters, and the parameter each sets. */
    public static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("orient", "orientation"),
            Map.entry("orientation", "orientation"), Map.entry("radius", "radius"), Map.entry("curvature",
                    "curvature"), Map.entry("thickness", "thickness"), Map.entry("span", "span"),
            Map.entry("length", "length"), Map.entry("opening", "opening"), Map.entry("freq", "frequency"),
            Map.entry("frequency", "frequency"), Map.entry("phase", "phase"), Map.entry("high", "high"),
            Map.entry("low", "low"), Map.entry("color", "color"), Map.entry("background", "background"),
            Map.entry("polarity", "polarity"));

    /** The most values one parameter may take, and the most stimuli one set may draw. */
    public static final int MAX_VALUES = 10_000;
    public static final int MAX_STIMULI = 100_000;
    /** Parameters that are lengths or counts: they must be positive. */
    private static final java.util.Set<String> POSITIVE = java.util.Set.of("radius", "thickness", "span", "length",
            "opening", "frequency", "high");

    private StimulusSpecs() {
    }

    /** Refuses a set that would draw more than {@link #MAX_STIMULI} images. */
    public static void checkCount(StimulusSet set) throws MagicException {
        long n;
        try {
            n = set.count();
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > MAX_STIMULI) {
            throw new MagicException("these parameters combine to " + (n == Long.MAX_VALUE ? "more than 2^31" : n)
                    + " stimuli, more than the " + MAX_STIMULI + " one run draws; use fewer values or coarser steps");
        }
    }

    /** Whether {@code spec} starts with a stimulus kind. */
    public static boolean isStimulus(String spec) {
        String kind = spec.split("[?:]", 2)[0];
        try {
            Stimuli.byName(kind);
            return !kind.isBlank();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses {@code kind[?name=values&…]}. */
    public static StimulusSet parse(String spec) throws MagicException {
        String s = spec.startsWith("stimuli:") ? spec.substring(8) : spec;
        int q = s.indexOf('?');
        StimulusSet set;
        try {
            set = Stimuli.byName(q < 0 ? s : s.substring(0, q));
        } catch (IllegalArgumentException e) {
            throw new MagicException(e.getMessage());
        }
        if (q >= 0) {
            for (String part : s.substring(q + 1).split("&")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq < 0) {
                    throw new MagicException("stimulus parameter '" + part + "' needs a value: name=values");
                }
                apply(set, part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return set;
    }

    /** Sets one parameter from its option name and text ({@code 0:360:5} or {@code 1,2,3}). */
    public static void apply(StimulusSet set, String option, String text) throws MagicException {
        String p = OPTIONS.get(option.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new MagicException("unknown stimulus parameter '" + option + "'; known: "
                    + String.join(", ", new java.util.TreeSet<>(OPTIONS.keySet())));
        }
        try {
            switch (p) {
                case "color" -> set.colors(colors(text, "color"));
                case "background" -> {
                    // plain and noise say what lies behind the shape, anything else is its colour
                    List<StimulusSet.Background> b = new ArrayList<>();
                    List<String> c = new ArrayList<>();
                    for (String v : text.split(",")) {
                        StimulusSet.Background kind = backgroundKind(v);
                        if (kind != null) {
                            b.add(kind);
                        } else {
                            c.add(v);
                        }
                    }
                    if (!b.isEmpty()) {
                        set.backgrounds(b.toArray(StimulusSet.Background[]::new));
                    }
                    if (!c.isEmpty()) {
                        set.backgroundColors(colors(String.join(",", c), "background"));
                    }
                }
                case "polarity" -> set.polarities(polarities(text));
                case "curvature" -> {
                    double[] v = numbers(text);
                    for (double x : v) {
                        if (x == 0) {
                            throw new MagicException("curvature=" + text + ": a curvature of 0 is a straight line; "
                                    + "use lines for those");
                        }
                    }
                    set.curvatures(v);
                }
                default -> {
                    double[] v = numbers(text);
                    for (double x : v) {
                        if (POSITIVE.contains(p) ? !(x > 0) : p.equals("low") && x < 0) {
                            throw new MagicException("--" + option + " " + text + ": " + p + " must be "
                                    + (POSITIVE.contains(p) ? "positive" : "0 or more") + ", not " + fmt(x));
                        }
                    }
                    set.values(p, v);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new MagicException("stimulus parameter " + option + "=" + text + ": " + e.getMessage());
        }
    }

    /** {@code from:to:step} (to excluded) or {@code a,b,c}. */
    public static double[] numbers(String text) throws MagicException {
        try {
            String[] r = text.split(":");
            if (r.length == 3) {
                double from = Double.parseDouble(r[0]);
                double to = Double.parseDouble(r[1]);
                double step = Double.parseDouble(r[2]);
                if (!(step > 0) || !(to > from) || !Double.isFinite(to - from)) {
                    throw new MagicException("a range from:to:step needs from < to and step > 0, not " + text);
                }
                double count = Math.ceil((to - from) / step - 1e-9);
                if (count > MAX_VALUES) {
                    throw new MagicException("the range " + text + " gives " + (count > 1e12 ? String.format("%.3g",
                            count) : String.valueOf((long) count)) + " values, more than the " + MAX_VALUES
                            + " one parameter takes; use a coarser step");
                }
                int n = (int) count;
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = from + i * step;
                }
                return v;
            }
            String[] parts = text.split(",");
            if (parts.length > MAX_VALUES) {
                throw new MagicException("'" + text.substring(0, 40) + "...' lists " + parts.length + " values, more "
                        + "than the " + MAX_VALUES + " one parameter takes");
            }
            double[] v = new double[parts.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(parts[i].trim());
                if (!Double.isFinite(v[i])) {
                    throw new NumberFormatException();
                }
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MagicException("'" + text + "' is not a list of numbers (a,b,c) or a range (from:to:step)");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static StimulusSet.Background backgroundKind(String v) {
        String k = v.trim().toUpperCase(Locale.ROOT);
        for (StimulusSet.Background b : StimulusSet.Background.values()) {
            if (b.name().equals(k)) {
                return b;
            }
        }
        return null;
    }

    /** {@code dark}, {@code light}, {@code both}, or a list of the first two. */
    static StimulusSet.Polarity[] polarities(String text) throws MagicException {
        if (text.trim().equalsIgnoreCase("both")) {
            return StimulusSet.Polarity.values();
        }
        List<StimulusSet.Polarity> out = new ArrayList<>();
        for (String v : text.split(",")) {
            try {
                out.add(StimulusSet.Polarity.parse(v));
            } catch (IllegalArgumentException e) {
                throw new MagicException("polarity '" + v.trim() + "' is not dark (dark on light), light (light on "
                        + "dark) or both");
            }
        }
        return out.toArray(StimulusSet.Polarity[]::new);
    }

    /** Whether an option fixes which colours the stimuli have (colour, background colour or polarity). */
    public static boolean fixesContrast(String option, String text) {
        String p = OPTIONS.get(option.toLowerCase(Locale.ROOT));
        if ("polarity".equals(p) || "color".equals(p)) {
            return true;
        }
        if ("background".equals(p)) {
            for (String v : text.split(",")) {
                if (backgroundKind(v) == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the {@code ?name=values} part of a spec fixes the stimuli's colours or polarity. */
    public static boolean specFixesContrast(String spec) {
        int q = spec.indexOf('?');
        if (q < 0) {
            return false;
        }
        for (String part : spec.substring(q + 1).split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && fixesContrast(part.substring(0, eq).trim(), part.substring(eq + 1).trim())) {
                return true;
            }
        }
        return false;
    }

    private static Color[] colors(String text, String what) throws MagicException {
        String[] parts = text.split(",");
        Color[] c = new Color[parts.length];
        for (int i = 0; i < c.length; i++) {
            String v = parts[i].trim().toLowerCase(Locale.ROOT);
            c[i] = switch (v) {
                case "black" -> Color.BLACK;
                case "white" -> Color.WHITE;
                case "red" -> Color.RED;
                case "green" -> Color.GREEN;
                case "blue" -> Color.BLUE;
                case "yellow" -> Color.YELLOW;
                case "gray", "grey" -> Color.GRAY;
                default -> {
                    try {
                        yield Color.decode(v.startsWith("#") ? v : "#" + v);
                    } catch (NumberFormatException e) {
                        throw new MagicException(what + " '" + parts[i].trim() + "' is not a colour (black, white, "
                                + "red, green, blue, yellow, grey or #rrggbb)" + (what.equals("background")
                                ? " nor plain or noise" : ""));
                    }
                }
            };
        }
        return c;
    }
}
