package org.circuitscope.magics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A magic's arguments: positionals, {@code --option value} (or {@code --option=value}) and {@code --flag}. Unknown
 * options are an error that names the known ones, so a typo never passes silently.
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
                    throw new MagicException("%" + magic + ": unknown option --" + name + (known.isEmpty()
                            ? " (it takes none)" : "; known options: --" + String.join(", --", known)));
                }
            } else {
                r.positionals.add(a);
            }
        }
        return r;
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
            return Double.parseDouble(v.trim());
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
            }
        } catch (NumberFormatException e) {
            throw new MagicException("%" + magic + ": --" + option + " needs comma-separated numbers, not '" + v
                    + "'");
        }
        return f;
    }
}
