package org.circuitscope.display;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as a reader sees it: an HTML table with each column's name and type, all rows when few,
 * otherwise the first and last rows around an ellipsis row, and the row and column count under it; wide tables
 * scroll sideways inside their own box instead of running off the page. Floating-point cells show four significant
 * digits (Tablesaw's own text has sixteen or seventeen); {@link #plain} gives the same numbers as text.
 */
public final class TableHtml {
    /** Tables with more rows than this show only their head and tail. */
    public static final int MAX_ROWS = 20;

    private TableHtml() {
    }

    public static String render(Table table) {
        return render(table, MAX_ROWS);
    }

    /** At most {@code maxRows} rows: all of them, or the first and last half around an ellipsis row. */
    public static String render(Table table, int maxRows) {
        return render(table, maxRows, true);
    }

    /** The same, with the table's name over it only when {@code named} (a result's summary may say it already). */
    public static String render(Table table, int maxRows, boolean named) {
        StringBuilder html = new StringBuilder();
        // width 0 with min-width 100%: the box takes its container's width without widening it (an output area is a
        // flex item that would otherwise grow to the table's width), and the table scrolls inside it
        html.append("<div class=\"circuitscope-table\" style=\"overflow-x:auto;width:0;min-width:100%\">");
        if (named && table.name() != null && !table.name().isBlank()) {
            html.append("<div><b>").append(Markup.escape(table.name())).append("</b></div>");
        }
        html.append("<table><thead><tr><th></th>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(Markup.escape(column.name())).append("<br/><small>")
                    .append(Markup.escape(column.type().name())).append("</small></th>");
        }
        html.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        int shown = Math.max(2, maxRows);
        if (rows <= shown) {
            appendRows(html, table, 0, rows);
        } else {
            int head = (shown + 1) / 2;
            appendRows(html, table, 0, head);
            html.append("<tr><td>&hellip;</td>");
            html.append("<td>&hellip;</td>".repeat(table.columnCount()));
            html.append("</tr>");
            appendRows(html, table, rows - (shown - head), rows);
        }
        html.append("</tbody></table>");
        html.append("<div><small>").append(rows).append(rows == 1 ? " row" : " rows").append(" &times; ")
                .append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns")
                .append("</small></div></div>");
        return html.toString();
    }

    /** The table as text (Tablesaw's layout) with the cells as {@link #cell} writes them. */
    public static String plain(Table table) {
        Table shown = Table.create(table.name());
        for (Column<?> column : table.columns()) {
            if (isFloatingPoint(column)) {
                StringColumn text = StringColumn.create(column.name());
                for (int r = 0; r < column.size(); r++) {
                    text.append(cell(column, r));
                }
                shown.addColumns(text);
            } else {
                shown.addColumns(column);
            }
        }
        return shown.printAll();
    }

    /** One cell's text: floating-point numbers by {@link #number}, missing ones empty, the rest as Tablesaw has them. */
    public static String cell(Column<?> column, int row) {
        if (isFloatingPoint(column)) {
            if (column.isMissing(row)) {
                return "";
            }
            return number(((Number) column.get(row)).doubleValue());
        }
        return column.getString(row);
    }

    /**
     * Four significant digits without trailing zeros (0.9500 → 0.95, 21.7812… → 21.78), whole numbers from 1000 up
     * to a million rounded to the unit, and scientific notation outside 1e-4 … 1e6.
     */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e6 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static boolean isFloatingPoint(Column<?> column) {
        return column.type() == ColumnType.DOUBLE || column.type() == ColumnType.FLOAT;
    }

    private static void appendRows(StringBuilder html, Table table, int from, int to) {
        for (int r = from; r < to; r++) {
            html.append("<tr><th>").append(r).append("</th>");
            for (Column<?> column : table.columns()) {
                html.append("<td>").append(Markup.escape(cell(column, r))).append("</td>");
            }
            html.append("</tr>");
        }
    }
}
