package org.circuitscope.activations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.display.Markup;
import org.circuitscope.display.TableHtml;
import tech.tablesaw.api.Table;

/** Small HTML helpers shared by the result classes: escaping, a problems list, the head of a table. */
public final class Html {
    private Html() {
    }

    public static String escape(String s) {
        return Markup.escape(s);
    }

    /**
     * The display bundle of a result that is a one-line summary over a table: plain text is the summary (followed by
     * the whole table when {@code tableInText}), HTML the summary in bold over the table (at most {@code rows} rows).
     */
    public static Map<String, Object> summaryOverTable(String summary, Table table, int rows, boolean tableInText) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", tableInText ? summary + "\n" + TableHtml.plain(table) : summary);
        StringBuilder sb = new StringBuilder("<div><b>").append(escape(summary)).append("</b>");
        table(sb, table, rows);
        r.put("text/html", sb.append("</div>").toString());
        return r;
    }

    /** A list of problems (the first 10, and how many more). */
    public static void problems(StringBuilder sb, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        sb.append("<details open><summary style=\"color:#b00\">").append(problems.size()).append(" problem")
                .append(problems.size() == 1 ? "" : "s").append(" (skipped)</summary><ul>");
        for (int i = 0; i < Math.min(10, problems.size()); i++) {
            sb.append("<li>").append(escape(problems.get(i))).append("</li>");
        }
        if (problems.size() > 10) {
            sb.append("<li>… and ").append(problems.size() - 10).append(" more</li>");
        }
        sb.append("</ul></details>");
    }

    /** The table under a result's own summary: at most {@code rows} rows of it (see {@link TableHtml}). */
    public static void table(StringBuilder sb, Table t, int rows) {
        sb.append(TableHtml.render(t, rows, false));
    }
}
