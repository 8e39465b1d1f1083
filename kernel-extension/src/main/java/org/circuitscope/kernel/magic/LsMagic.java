package org.circuitscope.kernel.magic;

import java.util.List;
import java.util.TreeSet;
import org.circuitscope.kernel.KernelDisplays;
import org.circuitscope.kernel.render.Html;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

/** {@code %lsmagic}: every registered line and cell magic with its one line of help. */
public final class LsMagic implements LineMagic<Object, BaseKernel> {
    public static final String HELP = "%lsmagic: list the magics with one line of help each";
    private static final String NO_HELP = "(no description)";

    @Override
    public Object eval(BaseKernel kernel, List<String> args) {
        MagicsRegistry registry = kernel.getMagicsRegistry();
        MagicCatalog catalog = MagicCatalog.of(kernel);
        StringBuilder text = new StringBuilder("Line magics:\n");
        StringBuilder html = new StringBuilder("<table><tr><th>magic</th><th>what it does</th></tr>");
        for (String name : new TreeSet<>(registry.getLineMagicNames())) {
            String help = orNone(catalog.lineHelp(name));
            text.append(String.format("  %%%-14s %s%n", name, help));
            html.append(row("%" + name, help));
        }
        text.append("Cell magics:\n");
        for (String name : new TreeSet<>(registry.getCellMagicNames())) {
            String help = orNone(catalog.cellHelp(name));
            text.append(String.format("  %%%%%-13s %s%n", name, help));
            html.append(row("%%" + name, help));
        }
        html.append("</table>");
        DisplayData data = new DisplayData(text.toString());
        data.putHTML(html.toString());
        return KernelDisplays.magicResult(kernel, data);
    }

    private static String row(String magic, String help) {
        return "<tr><td><code>" + Html.escape(magic) + "</code></td><td style=\"text-align:left\">"
                + Html.escape(help) + "</td></tr>";
    }

    private static String orNone(String help) {
        return help == null ? NO_HELP : help;
    }
}
