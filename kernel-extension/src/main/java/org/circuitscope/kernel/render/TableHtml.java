package org.circuitscope.kernel.render;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as an HTML table: a header with each column's name and type, all rows when few, otherwise the
 * first and last rows around an ellipsis row, and the row and column count under it.
 */
public final class TableHtml {
    /** Tables with more rows than this show only their head and tail. */
    public static final int MAX_ROWS = 20;
    private static final int EDGE_ROWS = MAX_ROWS / 2;

    private TableHtml() {
    }

    public static String render(Table table) {
        StringBuilder html = new StringBuilder();
        html.append("<div class=\"circuitscope-table\">");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<div><b>").append(Html.escape(table.name())).append("</b></div>");
        }
        html.append("<table><thead><tr><th></th>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(Html.escape(column.name())).append("<br/><small>")
                    .append(Html.escape(column.type().name())).append("</small></th>");
        }
        html.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        if (rows <= MAX_ROWS) {
            appendRows(html, table, 0, rows);
        } else {
            appendRows(html, table, 0, EDGE_ROWS);
            html.append("<tr><td>&hellip;</td>");
            html.append("<td>&hellip;</td>".repeat(table.columnCount()));
            html.append("</tr>");
            appendRows(html, table, rows - EDGE_ROWS, rows);
        }
        html.append("</tbody></table>");
        html.append("<div><small>").append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns")
                .append("</small></div></div>");
        return html.toString();
    }

    private static void appendRows(StringBuilder html, Table table, int from, int to) {
        for (int r = from; r < to; r++) {
            html.append("<tr><th>").append(r).append("</th>");
            for (Column<?> column : table.columns()) {
                html.append("<td>").append(Html.escape(column.getString(r))).append("</td>");
            }
            html.append("</tr>");
        }
    }
}
