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
 * span, length, opening, freq(uency), phase, high, low, color (names or #rrggbb), background (plain, noise).
 */
public final class StimulusSpecs {
    /** The option names the magics accept for stimulus parameters, and the parameter each sets. */
    public static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("orient", "orientation"),
            Map.entry("orientation", "orientation"), Map.entry("radius", "radius"), Map.entry("curvature",
                    "curvature"), Map.entry("thickness", "thickness"), Map.entry("span", "span"),
            Map.entry("length", "length"), Map.entry("opening", "opening"), Map.entry("freq", "frequency"),
            Map.entry("frequency", "frequency"), Map.entry("phase", "phase"), Map.entry("high", "high"),
            Map.entry("low", "low"), Map.entry("color", "color"), Map.entry("background", "background"));

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
                case "color" -> set.colors(colors(text));
                case "background" -> {
                    List<StimulusSet.Background> b = new ArrayList<>();
                    for (String v : text.split(",")) {
                        try {
                            b.add(StimulusSet.Background.valueOf(v.trim().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new MagicException("background '" + v.trim() + "' is not one of plain, noise");
                        }
                    }
                    set.backgrounds(b.toArray(StimulusSet.Background[]::new));
                }
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

    private static Color[] colors(String text) throws MagicException {
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
                        throw new MagicException("'" + parts[i] + "' is not a colour (a name or #rrggbb)");
                    }
                }
            };
        }
        return c;
    }
}
