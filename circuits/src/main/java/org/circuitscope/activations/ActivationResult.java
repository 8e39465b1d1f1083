package org.circuitscope.activations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.ModelException;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The activations recorded over a source. {@link #table()} is the long form (one row per image, layer, channel
 * and, when not reduced, position: columns {@code image}, {@code label}, {@code layer}, {@code channel}, [{@code y},
 * {@code x}], {@code value}); {@link #wide()} is one row per image with a column per {@code layer:channel}. The
 * numbers are held once, in a primitive array; both tables are built from it on demand. {@link #partial()} tells
 * whether the run was interrupted, {@link #problems()} what could not be read.
 */
public final class ActivationResult implements Displayable {
    private final String model;
    private final String source;
    private final Reduce reduce;
    private final Activations.Features features;
    private final List<String> ids;
    private final List<String> labels;
    private final float[] values;
    private final boolean partial;
    private final List<String> problems;
    private final double seconds;
    private Table table;
    private Table wide;

    private ActivationResult(Builder b, boolean partial, List<String> problems, double seconds) {
        this.model = b.model;
        this.source = b.source;
        this.reduce = b.reduce;
        this.features = b.features;
        this.ids = List.copyOf(b.ids);
        this.labels = new ArrayList<>(b.labels);
        this.values = Arrays.copyOf(b.values, b.size);
        this.partial = partial;
        this.problems = List.copyOf(problems);
        this.seconds = seconds;
    }

    /** Collects rows as a run goes. */
    static final class Builder {
        private final String model;
        private final String source;
        private final Reduce reduce;
        private final Activations.Features features;
        private final List<String> ids = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private float[] values = new float[1024];
        private int size;

        Builder(String model, String source, Reduce reduce, Activations.Features features) {
            this.model = model;
            this.source = source;
            this.reduce = reduce;
            this.features = features;
        }

        void add(String id, String label, float[] row) {
            if (size + row.length > values.length) {
                long grown = Math.max((long) values.length * 3 / 2, (long) size + row.length);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new ModelException("too many activation values to hold in one table (" + grown + ")");
                }
                values = Arrays.copyOf(values, (int) grown);
            }
            System.arraycopy(row, 0, values, size, row.length);
            size += row.length;
            ids.add(id);
            labels.add(label);
        }

        int images() {
            return ids.size();
        }

        ActivationResult build(boolean partial, List<String> problems, double seconds) {
            return new ActivationResult(this, partial, problems, seconds);
        }
    }

    /** The long table: one row per image × layer × channel (× position when not reduced). */
    public synchronized Table table() {
        if (table == null) {
            table = buildLong();
        }
        return table;
    }

    private Table buildLong() {
        int n = ids.size();
        int f = features.count();
        long rows = (long) n * f;
        if (rows > Integer.MAX_VALUE) {
            throw new ModelException(rows + " rows do not fit in one table; use wide() or reduce the layers");
        }
        int r = (int) rows;
        String[] image = new String[r];
        String[] label = new String[r];
        String[] layer = new String[r];
        int[] channel = new int[r];
        boolean pos = features.positions();
        int[] ys = pos ? new int[r] : null;
        int[] xs = pos ? new int[r] : null;
        String[] layerOf = new String[f];
        int[][] where = new int[f][];
        for (int k = 0; k < f; k++) {
            layerOf[k] = features.layerNames.get(features.layerOf(k));
            where[k] = features.position(k);
        }
        int row = 0;
        for (int i = 0; i < n; i++) {
            String id = ids.get(i);
            String lab = labelOrEmpty(i);
            for (int k = 0; k < f; k++, row++) {
                image[row] = id;
                label[row] = lab;
                layer[row] = layerOf[k];
                channel[row] = where[k][0];
                if (pos) {
                    ys[row] = where[k][1];
                    xs[row] = where[k][2];
                }
            }
        }
        List<Column<?>> cols = new ArrayList<>();
        cols.add(StringColumn.create("image", image));
        cols.add(StringColumn.create("label", label));
        cols.add(StringColumn.create("layer", layer));
        cols.add(IntColumn.create("channel", channel));
        if (pos) {
            cols.add(IntColumn.create("y", ys));
            cols.add(IntColumn.create("x", xs));
        }
        cols.add(FloatColumn.create("value", values));
        return Table.create(title(), cols.toArray(Column[]::new));
    }

    private String labelOrEmpty(int i) {
        String l = labels.get(i);
        return l == null ? "" : l;
    }

    /** The wide table: one row per image ({@code image}, {@code label}), one column per layer:channel. */
    public synchronized Table wide() {
        if (wide == null) {
            int n = ids.size();
            int f = features.count();
            List<Column<?>> cols = new ArrayList<>(f + 2);
            cols.add(StringColumn.create("image", ids.toArray(String[]::new)));
            String[] lab = new String[n];
            for (int i = 0; i < n; i++) {
                lab[i] = labelOrEmpty(i);
            }
            cols.add(StringColumn.create("label", lab));
            for (int k = 0; k < f; k++) {
                float[] col = new float[n];
                for (int i = 0; i < n; i++) {
                    col[i] = values[i * f + k];
                }
                cols.add(FloatColumn.create(features.name(k), col));
            }
            wide = Table.create(title() + " (wide)", cols.toArray(Column[]::new));
        }
        return wide;
    }

    /** The values of one {@code layer:channel} (or {@code layer:channel@y,x}) over the images, in order. */
    public float[] column(String name) {
        int f = features.count();
        for (int k = 0; k < f; k++) {
            if (features.name(k).equals(name)) {
                float[] col = new float[ids.size()];
                for (int i = 0; i < col.length; i++) {
                    col[i] = values[i * f + k];
                }
                return col;
            }
        }
        throw new ModelException("no column '" + name + "' in these activations; they hold layers "
                + features.layerNames + " (columns are named layer:channel)");
    }

    /** One image's value for a layer and channel (reduced runs), by image index. */
    public float value(int image, String layer, int channel) {
        return column(layer + ":" + channel)[image];
    }

    public List<String> ids() {
        return ids;
    }

    public List<String> labels() {
        return java.util.Collections.unmodifiableList(labels);
    }

    public List<String> layers() {
        return features.layerNames;
    }

    public Reduce reduce() {
        return reduce;
    }

    /** How many images were recorded. */
    public int images() {
        return ids.size();
    }

    /** Whether the run stopped early (interrupted, or over the value limit): the tables hold the rows so far. */
    public boolean partial() {
        return partial;
    }

    /** What could not be read (id: reason), and why a run stopped early. */
    public List<String> problems() {
        return problems;
    }

    public double seconds() {
        return seconds;
    }

    private String title() {
        return "activations of " + model + " on " + source + " (" + reduce.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** A one-paragraph account: images, layers, values, time, partial, problems. */
    public String summary() {
        return title() + ": " + ids.size() + " images × " + features.count() + " values (" + String.join(", ",
                features.layerNames) + ") in " + String.format(Locale.ROOT, "%.1f", seconds) + " s"
                + (partial ? "; PARTIAL: stopped early, the rows so far" : "")
                + (problems.isEmpty() ? "" : "; " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", toString());
        r.put("text/html", html());
        return r;
    }

    private String html() {
        StringBuilder sb = new StringBuilder("<div class=\"circuitscope-activations\">");
        sb.append("<p><b>").append(Html.escape(title())).append("</b>: ").append(ids.size()).append(" images × ")
                .append(features.count()).append(" values per image");
        if (partial) {
            sb.append(" — <span style=\"color:#b00\"><b>partial</b>: stopped early; these are the rows so far"
                    + "</span>");
        }
        sb.append("</p>");
        Html.problems(sb, problems);
        Table shown = features.count() <= 24 ? wide() : table();
        Html.table(sb, shown, 20);
        sb.append("<p style=\"color:#666\">").append(shown == wide ? "wide form" : "long form")
                .append("; all rows: ").append(shown == wide ? "result.wide()" : "result.table()")
                .append(" (").append(shown.rowCount()).append(")</p></div>");
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
