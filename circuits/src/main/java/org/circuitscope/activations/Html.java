package org.circuitscope.activations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Small HTML helpers shared by the result classes: escaping, a problems list, the head of a table. */
public final class Html {
    private Html() {
    }

    public static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /**
     * The display bundle of a result that is a one-line summary over a table: plain text is the summary (followed by
     * the whole table when {@code tableInText}), HTML the summary in bold over the table's first {@code rows} rows.
     */
    public static Map<String, Object> summaryOverTable(String summary, Table table, int rows, boolean tableInText) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", tableInText ? summary + "\n" + table.print() : summary);
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

    /** The first {@code rows} rows of a table. */
    public static void table(StringBuilder sb, Table t, int rows) {
        sb.append("<table style=\"font-size:90%\"><thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        int n = Math.min(rows, t.rowCount());
        for (int r = 0; r < n; r++) {
            sb.append("<tr>");
            for (Column<?> c : t.columns()) {
                Object v = c.get(r);
                String s = v instanceof Float f ? String.format(Locale.ROOT, "%.4g", f)
                        : v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v);
                sb.append("<td>").append(escape(s)).append("</td>");
            }
            sb.append("</tr>");
        }
        if (t.rowCount() > n) {
            sb.append("<tr><td colspan=\"").append(t.columnCount()).append("\">… ").append(t.rowCount() - n)
                    .append(" more rows</td></tr>");
        }
        sb.append("</tbody></table>");
    }
}
