package org.circuitscope.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.circuitscope.kernel.magic.MagicCatalog;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Session;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;

/**
 * Tab and Shift-Tab on a magic line. Tab on the name completes magic names; after it, {@code -}… completes the
 * magic's options (as its help lists them), anything else the loaded model's layer names and then the unit syntax
 * ({@code layer:channel}, {@code layer:channel@y,x}) with the layer's real channel count and centre. Shift-Tab
 * anywhere on the line shows the magic's help. Java completion never applies on a magic line.
 */
final class MagicAssistant {
    private static final Pattern MAGIC_LINE = Pattern.compile("^(\\s*)(%{1,2})([\\w.-]*)(.*)$", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("--[a-z][\\w-]*");
    /** Unit completions list each channel of a layer up to this many; wider layers get the first ones. */
    static final int MAX_CHANNELS = 64;

    private final BaseKernel kernel;
    private volatile Session session;

    MagicAssistant(BaseKernel kernel) {
        this.kernel = kernel;
    }

    /** The magics' session, whose loaded models give layer names. */
    void useSession(Session session) {
        this.session = session;
    }

    private record Line(int start, boolean cell, String name, int nameStart, int nameEnd, String rest) {
    }

    /** The magic line around {@code at}, or null when {@code at} is not on one. */
    private static Line lineAt(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        int lineEnd = code.indexOf('\n', at);
        String line = code.substring(lineStart, lineEnd < 0 ? code.length() : lineEnd);
        Matcher m = MAGIC_LINE.matcher(line);
        if (!m.matches() || m.group(3).isEmpty() && m.group(4).length() > 0) {
            return null;
        }
        int nameStart = lineStart + m.end(2);
        return new Line(lineStart, m.group(2).length() == 2, m.group(3), nameStart, nameStart + m.group(3).length(),
                m.group(4));
    }

    /** The help of the magic on the line at {@code at}, or null when the line is no magic (or an unknown one). */
    String documentation(String code, int at) {
        Line line = lineAt(code, at);
        if (line == null) {
            return null;
        }
        MagicCatalog catalog = MagicCatalog.of(kernel);
        String help = line.cell() ? catalog.cellHelp(line.name()) : catalog.lineHelp(line.name());
        if (help == null && line.cell()) {
            help = catalog.lineHelp(line.name());
        }
        return help == null ? null : (line.cell() ? "%%" : "%") + line.name() + ": " + help;
    }

    /** Completions on a magic line, or null when {@code at} is not on one (Java completion then applies). */
    ReplacementOptions complete(String code, int at) {
        Line line = lineAt(code, at);
        if (line == null) {
            return null;
        }
        if (at <= line.nameEnd()) {
            String prefix = code.substring(line.nameStart(), at);
            var names = line.cell() ? kernel.getMagicsRegistry().getCellMagicNames()
                    : kernel.getMagicsRegistry().getLineMagicNames();
            List<String> options = names.stream().filter(n -> n.startsWith(prefix)).sorted().toList();
            return new ReplacementOptions(options, line.nameStart(), at);
        }
        int wordStart = at;
        while (wordStart > line.nameEnd() && !Character.isWhitespace(code.charAt(wordStart - 1))) {
            wordStart--;
        }
        String word = code.substring(wordStart, at);
        List<String> options = word.startsWith("-") ? options(line, word) : targets(word);
        return new ReplacementOptions(options, wordStart, at);
    }

    /** The options the magic's help names, e.g. {@code --steps}. */
    private List<String> options(Line line, String prefix) {
        String help = MagicCatalog.of(kernel).lineHelp(line.name());
        if (help == null) {
            help = MagicCatalog.of(kernel).cellHelp(line.name());
        }
        Set<String> found = new TreeSet<>();
        if (help != null) {
            Matcher m = OPTION.matcher(help);
            while (m.find()) {
                if (m.group().startsWith(prefix)) {
                    found.add(m.group());
                }
            }
        }
        return List.copyOf(found);
    }

    /** Loaded models, layer names, and for {@code layer:} its channels, for {@code layer:c@} its centre. */
    private List<String> targets(String word) {
        Session s = session;
        if (s == null) {
            return List.of();
        }
        LoadedModels loaded = LoadedModels.of(s);
        Model model;
        try {
            model = loaded.get(null);
        } catch (Exception e) {
            return List.of();
        }
        Set<String> options = new LinkedHashSet<>();
        int colon = word.indexOf(':');
        if (colon < 0) {
            loaded.all().keySet().stream().filter(n -> n.startsWith(word)).forEach(options::add);
            model.layers().names().stream().filter(n -> n.startsWith(word)).forEach(options::add);
            return new ArrayList<>(options);
        }
        String layerName = word.substring(0, colon);
        if (!model.layers().contains(layerName)) {
            return List.of();
        }
        Layer layer = model.layers().get(layerName);
        int at = word.indexOf('@', colon);
        if (at < 0) {
            long channels = Math.min(layer.channels(), MAX_CHANNELS);
            for (long c = 0; c < channels; c++) {
                String unit = layerName + ":" + c;
                if (unit.startsWith(word)) {
                    options.add(unit);
                }
            }
        } else if (layer.spatial()) {
            String centre = word.substring(0, at) + "@" + layer.shape()[2] / 2 + "," + layer.shape()[3] / 2;
            if (centre.startsWith(word)) {
                options.add(centre);
            }
        }
        return new ArrayList<>(options);
    }
}
