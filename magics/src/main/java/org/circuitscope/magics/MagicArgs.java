package org.circuitscope.magics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.circuitscope.model.Names;

/**
 * A magic's arguments: positionals, {@code --option value} (or {@code --option=value}) and {@code --flag}. Unknown
 * options are an error that suggests the closest known one and lists them all, so a typo never passes silently.
 * Every message it makes starts with the magic's name ({@code %featurevis: ...}), once: {@link #error} and
 * {@link #wrap} add it to messages that lack it.
 */
public final class MagicArgs {
    private final String magic;
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    private MagicArgs(String magic) {
        this.magic = magic;
    }

    /**
     * @param valued the options that take a value
     * @param flags  the options that take none
     */
    public static MagicArgs parse(String magic, List<String> args, Set<String> valued, Set<String> flags)
            throws MagicException {
        MagicArgs r = new MagicArgs(magic);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new MagicException("%" + magic + ": --" + name + " takes no value");
                    }
                    r.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new MagicException("%" + magic + ": --" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    r.options.put(name, value);
                } else {
                    Set<String> known = new TreeSet<>(valued);
                    known.addAll(flags);
                    String guess = didYouMean(name, known);
                    throw new MagicException("%" + magic + ": unknown option --" + name + (known.isEmpty()
                            ? " (it takes none)" : (guess == null ? "" : "; did you mean --" + guess + "?")
                            + " Known options: --" + String.join(", --", known)));
                }
            } else {
                r.positionals.add(a);
            }
        }
        return r;
    }

    /** The known name a mistyped one most likely meant (at most a third of its letters off), or null. */
    public static String didYouMean(String typed, java.util.Collection<String> known) {
        List<String> c = Names.closest(typed, known, 1);
        if (c.isEmpty()) {
            return null;
        }
        String best = c.get(0);
        int allowed = Math.max(1, Math.max(typed.length(), best.length()) / 3);
        return Names.distance(typed.toLowerCase(java.util.Locale.ROOT), best.toLowerCase(java.util.Locale.ROOT))
                <= allowed || best.startsWith(typed) ? best : null;
    }

    /** An error of this magic: the message gets the {@code %magic:} prefix unless it already has it. */
    public MagicException error(String message) {
        return new MagicException(prefixed(magic, message));
    }

    /** An engine failure (a bad layer name, a size the model cannot take) as this magic's one-line error. */
    public MagicException wrap(RuntimeException e) {
        return new MagicException(prefixed(magic, e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }

    /** {@code message} with the {@code %magic:} prefix, unless it already names a magic. */
    public static String prefixed(String magic, String message) {
        String top = magic.split(" ")[0];
        return message.startsWith("%" + top) ? message : "%" + magic + ": " + message;
    }

    /** Refuses positionals beyond the first {@code used}, naming them. */
    public void noMoreThan(List<String> rest, int used) throws MagicException {
        if (rest.size() > used) {
            List<String> extra = rest.subList(used, rest.size());
            throw error("unexpected argument" + (extra.size() == 1 ? " '" + extra.get(0) + "'" : "s " + extra)
                    + " after " + rest.subList(0, used));
        }
    }

    /** The notebook variable an option names ({@code --as acts}), checked to be a Java name; null when absent. */
    public String variable(String option) throws MagicException {
        String v = get(option);
        if (v != null && (!javax.lang.model.SourceVersion.isName(v) || v.contains("."))) {
            throw error("--" + option + " needs a Java variable name, not '" + v + "'");
        }
        return v;
    }

    /** A whole-number option between {@code min} and {@code max}. */
    public int getInt(String option, int fallback, int min, int max) throws MagicException {
        int v = getInt(option, fallback);
        if (has(option) && (v < min || v > max)) {
            throw error("--" + option + " must be " + (max == Integer.MAX_VALUE ? "at least " + min
                    : "between " + min + " and " + max) + ", not " + v);
        }
        return v;
    }

    /** A number option between {@code min} and {@code max}. */
    public double getDouble(String option, double fallback, double min, double max) throws MagicException {
        double v = getDouble(option, fallback);
        if (has(option) && !(v >= min && v <= max)) {
            throw error("--" + option + " must be " + (max == Double.MAX_VALUE ? "at least " + fmt(min)
                    : "between " + fmt(min) + " and " + fmt(max)) + ", not " + get(option));
        }
        return v;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    public List<String> positionals() {
        return List.copyOf(positionals);
    }

    public String positional(int i) {
        return i < positionals.size() ? positionals.get(i) : null;
    }

    public boolean has(String option) {
        return options.containsKey(option);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public String get(String option) {
        return options.get(option);
    }

    public String get(String option, String fallback) {
        return options.getOrDefault(option, fallback);
    }

    public int getInt(String option, int fallback) throws MagicException {
        String v = options.get(option);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new MagicException("%" + magic + ": --" + option + " needs a whole number, not '" + v + "'");
        }
    }

    public double getDouble(String option, double fallback) throws MagicException {
        String v = options.get(option);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new MagicException("%" + magic + ": --" + option + " needs a number, not '" + v + "'");
        }
    }

    public float[] getFloats(String option) throws MagicException {
        String v = options.get(option);
        if (v == null) {
            return null;
        }
        String[] parts = v.split(",");
        float[] f = new float[parts.length];
        try {
            for (int i = 0; i < f.length; i++) {
                f[i] = Float.parseFloat(parts[i].trim());
                if (!Float.isFinite(f[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new MagicException("%" + magic + ": --" + option + " needs comma-separated numbers, not '" + v
                    + "'");
        }
        return f;
    }
}
