package org.circuitscope.stimuli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.circuitscope.activations.Html;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.examples.ReceptiveField;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A unit's response to a family of stimuli: {@code TuningCurve.of(model, Unit.parse("conv2:5"), Stimuli.curves()
 * .orientations(0, 360, 5))}. The stimuli are drawn at the model's input size and, unless they were given a centre,
 * centred on the receptive field of a position: a neuron's own, or for a channel its centre position (H/2, W/2).
 * A neuron is read at its position. A channel (or a direction) is read by default at the best of the positions whose
 * receptive field is centred within one stride of the stimulus centre (so a stimulus that lands between positions,
 * or a unit that answers best slightly off its field's centre, is still read where it responds); {@link Reduce#CENTER} reads the
 * centre position only, {@link Reduce#MAX} the best position anywhere, {@link Reduce#MEAN} the mean over positions.
 * The result holds the parameter table with a {@code response} column (and the {@code y}, {@code x} read when
 * several positions were candidates), and a line chart over the first varying parameter (one series per combination
 * of the others) or, for two numeric parameters, a heatmap. When the stimuli sweep both polarities the result says
 * which one won; a curve that is flat says so instead of plotting rounding noise.
 */
public final class TuningCurve implements Displayable {
    private final String model;
    private final Unit unit;
    private final StimulusSet stimuli;
    private final Table table;
    private final float[] responses;
    private final boolean partial;
    private final int measuredY;
    private final int measuredX;
    private final String reading;

    private TuningCurve(String model, Unit unit, StimulusSet stimuli, Table table, float[] responses,
                        boolean partial, int y, int x, String reading) {
        this.model = model;
        this.unit = unit;
        this.stimuli = stimuli;
        this.table = table;
        this.responses = responses;
        this.partial = partial;
        this.measuredY = y;
        this.measuredX = x;
        this.reading = reading;
    }

    public static TuningCurve of(Model model, Unit unit, StimulusSet stimuli) {
        return of(model, unit, stimuli, Progress.NONE);
    }

    public static TuningCurve of(Model model, String unit, StimulusSet stimuli) {
        return of(model, Unit.parse(unit), stimuli);
    }

    /** Read at the best position of the receptive field around the stimulus centre (see the class comment). */
    public static TuningCurve of(Model model, Unit unit, StimulusSet stimuli, Progress progress) {
        return measure(model, unit, stimuli, null, progress);
    }

    /**
     * @param reduce CENTER (the value at the centre position), MAX (the maximum over positions) or MEAN, instead of
     *               the best position of the receptive field
     */
    public static TuningCurve of(Model model, Unit unit, StimulusSet stimuli, Reduce reduce, Progress progress) {
        if (reduce != Reduce.CENTER && reduce != Reduce.MAX && reduce != Reduce.MEAN) {
            throw new IllegalArgumentException("a tuning curve reads one number per stimulus: use center, max or "
                    + "mean, not " + reduce);
        }
        return measure(model, unit, stimuli, reduce, progress);
    }

    /** {@code reduce} null: the best position of the receptive field. */
    private static TuningCurve measure(Model model, Unit unit, StimulusSet stimuli, Reduce reduce,
                                       Progress progress) {
        Layer layer = model.layers().get(unit.layer());
        int channels = (int) layer.channels();
        int h = layer.spatial() ? (int) layer.shape()[2] : 1;
        int w = layer.spatial() ? (int) layer.shape()[3] : 1;
        int y = h / 2;
        int x = w / 2;
        int channel = -1;
        float[] direction = null;
        Unit.Feature feature = null;
        if (unit instanceof Unit.Feature f) {
            f.check(channels);
            feature = f;
        } else if (unit instanceof Unit.FeatureAt fa) {
            fa.feature().check(channels);
            fa.checkPosition(h, w);
            feature = fa.feature();
            y = fa.y();
            x = fa.x();
        } else if (unit instanceof Unit.Channel c) {
            channel = c.channel();
        } else if (unit instanceof Unit.Neuron n) {
            channel = n.channel();
            y = n.y();
            x = n.x();
            if (y >= h || x >= w) {
                throw new ModelException("layer '" + layer.name() + "' is " + h + "×" + w + "; there is no position "
                        + y + "," + x);
            }
        } else if (unit instanceof Unit.Direction d) {
            direction = d.vector();
            if (direction.length != channels) {
                throw new ModelException("the direction has " + direction.length + " values but layer '"
                        + layer.name() + "' has " + channels + " channels");
            }
        }
        if (channel >= channels) {
            throw new ModelException("layer '" + layer.name() + "' has " + channels + " channels (0.."
                    + (channels - 1) + "); there is no channel " + channel);
        }
        StimulusSet set = stimuli.copy().size(model.input());
        ReceptiveField rf = layer.spatial() ? ReceptiveField.of(model, layer.name()) : null;
        if (!stimuli.hasCentre() && rf != null && !rf.whole()) {
            double[] c = rf.centre(y, x);
            set.centre(Math.max(0, Math.min(set.width(), c[0])), Math.max(0, Math.min(set.height(), c[1])));
        }
        boolean neuron = unit instanceof Unit.Neuron || unit instanceof Unit.FeatureAt;
        int[] candidates;
        String reading;
        if (neuron || reduce == Reduce.CENTER || !layer.spatial()) {
            candidates = new int[] {y * w + x};
            reading = "read at " + y + "," + x;
        } else if (reduce == Reduce.MAX || reduce == Reduce.MEAN) {
            candidates = java.util.stream.IntStream.range(0, h * w).toArray();
            reading = reduce == Reduce.MAX ? "read at the best of all " + h + "×" + w + " positions"
                    : "the mean over all " + h + "×" + w + " positions";
        } else {
            candidates = fieldPositions(rf, set.centre(), h, w, y, x);
            reading = candidates.length == 1 ? "read at " + y + "," + x : "read at the best of the "
                    + candidates.length + " positions around " + y + "," + x + " whose receptive field is centred "
                    + "within a stride of the stimulus";
        }
        boolean mean = reduce == Reduce.MEAN;
        int n = set.count();
        float[] out = new float[n];
        int[] at = new int[n];
        int done = 0;
        boolean partial = false;
        int hw = h * w;
        // Batches grow while they take under 0.1 s and shrink above 0.25 s, so that an interrupt is seen within a
        // fraction of a second on a large model too, and the partial curve is returned.
        int batch = 8;
        try {
            while (done < n) {
                if (progress.cancelled()) {
                    partial = true;
                    break;
                }
                long t0 = System.nanoTime();
                int m = Math.min(batch, n - done);
                List<java.awt.image.BufferedImage> images = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    images.add(set.render(done + i));
                }
                Tensor t = model.run(images, layer.name()).get(layer.name());
                float[] d = t.data();
                for (int i = 0; i < m; i++) {
                    int base = i * channels * hw;
                    double best = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    int where = candidates[0];
                    for (int p : candidates) {
                        double v = feature != null ? feature.at(d, base, hw, p)
                                : direction != null ? dot(d, base, direction, hw, p) : d[base + channel * hw + p];
                        sum += v;
                        if (v > best) {
                            best = v;
                            where = p;
                        }
                    }
                    out[done + i] = (float) (mean ? sum / candidates.length : best);
                    at[done + i] = where;
                }
                done += m;
                long took = System.nanoTime() - t0;
                batch = took < 100_000_000L ? Math.min(32, batch * 2) : took > 250_000_000L ? Math.max(1, batch / 2)
                        : batch;
                progress.update(done, n, done + " of " + n + " stimuli");
            }
        } finally {
            progress.finish(partial ? "interrupted after " + done + " stimuli" : n + " stimuli");
        }
        Table params = set.parameters().first(done);
        float[] r = java.util.Arrays.copyOf(out, done);
        params.addColumns(FloatColumn.create("response", r));
        if (candidates.length > 1 && !mean) {
            int[] ys = new int[done];
            int[] xs = new int[done];
            for (int i = 0; i < done; i++) {
                ys[i] = at[i] / w;
                xs[i] = at[i] % w;
            }
            params.addColumns(IntColumn.create("y", ys), IntColumn.create("x", xs));
        }
        params.setName("tuning of " + unit + " in " + model.name() + " to " + set.name());
        return new TuningCurve(model.name(), unit, set, params, r, partial, y, x, reading);
    }

    /**
     * The positions whose receptive field is centred within one stride (the spacing of the positions) of
     * {@code centre} (x, y in input pixels), or the position (y, x) alone when there are none.
     */
    private static int[] fieldPositions(ReceptiveField rf, double[] centre, int h, int w, int y, int x) {
        if (rf == null || rf.whole()) {
            return new int[] {y * w + x};
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double[] c = rf.centre(i, j);
                if (Math.abs(c[0] - centre[0]) <= rf.strideX() && Math.abs(c[1] - centre[1]) <= rf.strideY()) {
                    out.add(i * w + j);
                }
            }
        }
        if (out.isEmpty()) {
            return new int[] {y * w + x};
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double dot(float[] d, int base, float[] v, int hw, int p) {
        double s = 0;
        for (int c = 0; c < v.length; c++) {
            s += (double) v[c] * d[base + c * hw + p];
        }
        return s;
    }

    /** The parameters of each stimulus and the unit's {@code response}. */
    public Table table() {
        return table;
    }

    public float[] responses() {
        return responses.clone();
    }

    /** The stimuli as they were shown (at the model's input size, centred on the measured position). */
    public StimulusSet stimuli() {
        return stimuli;
    }

    public Unit unit() {
        return unit;
    }

    public boolean partial() {
        return partial;
    }

    /**
     * The layer position whose receptive field the stimuli are centred on (row, column); for a channel read at the
     * best position of its field, the table's {@code y} and {@code x} say where each response was read.
     */
    public int[] position() {
        return new int[] {measuredY, measuredX};
    }

    /** How the responses were read, e.g. "read at the best of the 4 positions around 4,4 ...". */
    public String reading() {
        return reading;
    }

    /**
     * Whether the curve is flat: every response the same to within a millionth of their size (or of 1), as when
     * the unit is silent for every stimulus. A flat curve has no peak worth the name.
     */
    public boolean flat() {
        if (responses.length == 0) {
            return true;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : responses) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo <= 1e-6 * Math.max(1.0, Math.max(Math.abs(hi), Math.abs(lo)));
    }

    /**
     * When the stimuli sweep both polarities: the strongest response under each, polarity by polarity (in the
     * order of {@link StimulusSet#polarities()}); otherwise one entry.
     */
    public Map<StimulusSet.Polarity, Float> peakByPolarity() {
        Map<StimulusSet.Polarity, Float> best = new LinkedHashMap<>();
        stimuli.polarities().forEach(p -> best.put(p, Float.NEGATIVE_INFINITY));
        for (int i = 0; i < responses.length; i++) {
            best.merge(stimuli.polarity(i), responses[i], Math::max);
        }
        best.values().removeIf(v -> v == Float.NEGATIVE_INFINITY);
        return best;
    }

    /** The polarity of the strongest response. */
    public StimulusSet.Polarity winningPolarity() {
        return stimuli.polarity(peakIndex());
    }

    /** The index (row of {@link #table()}) of the strongest response. */
    public int peakIndex() {
        int best = 0;
        for (int i = 1; i < responses.length; i++) {
            if (responses[i] > responses[best]) {
                best = i;
            }
        }
        return best;
    }

    public float peakResponse() {
        return responses[peakIndex()];
    }

    /** The value of a numeric parameter at the strongest response. */
    public double peak(String parameter) {
        return table.doubleColumn(parameter).get(peakIndex());
    }

    // ---- charts

    /** The heatmap for two varying numeric parameters, else the line chart. */
    public JFreeChart chart() {
        List<String> varying = new ArrayList<>(stimuli.varying());
        // both polarities: the heatmap shows the one that won
        varying.remove("polarity");
        if (varying.size() == 2 && numeric(varying.get(0)) && numeric(varying.get(1))) {
            return heatmap(varying.get(0), varying.get(1));
        }
        return lineChart();
    }

    private boolean numeric(String p) {
        return stimuli.kind().parameters().contains(p);
    }

    private String title() {
        return unit + " (" + model + ") vs " + stimuli.name() + (partial ? " [partial]" : "")
                + (flat() ? " [flat]" : "");
    }

    private String flatText() {
        return String.format(Locale.ROOT, "flat: every response is %.4g, so %s does not respond to these stimuli "
                + "where it is read (try the other polarity, other sizes or positions, or --reduce max)",
                responses.length == 0 ? 0f : responses[0], unit);
    }

    /** A flat curve: a fixed axis around its value (not rounding noise blown up) and a line that says so. */
    private void markFlat(JFreeChart chart, NumberAxis axis) {
        if (!flat() || responses.length == 0) {
            return;
        }
        if (axis != null) {
            double v = responses[0];
            double pad = Math.max(1, Math.abs(v) * 0.5);
            axis.setRange(v - pad, v + pad);
        }
        TextTitle note = new TextTitle(flatText(), new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        note.setPaint(new Color(160, 0, 0));
        chart.addSubtitle(note);
    }

    /** Response over the first varying parameter, one series per combination of the other varying parameters. */
    public JFreeChart lineChart() {
        List<String> varying = stimuli.varying();
        String xName = varying.isEmpty() || !numeric(varying.get(0)) ? "index" : varying.get(0);
        List<String> others = varying.isEmpty() ? List.of() : varying.subList(xName.equals("index") ? 0 : 1,
                varying.size());
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (int i = 0; i < responses.length; i++) {
            StringBuilder key = new StringBuilder();
            for (String o : others) {
                key.append(key.length() == 0 ? "" : ", ").append(o).append("=").append(cell(o, i));
            }
            String k = key.length() == 0 ? "response" : key.toString();
            if (!series.containsKey(k) && series.size() >= 12) {
                continue;
            }
            double xv = xName.equals("index") ? i : table.doubleColumn(xName).get(i);
            series.computeIfAbsent(k, s -> new XYSeries(s, false, true)).add(xv, responses[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title(), xName + unitOf(xName), "response", data,
                PlotOrientation.VERTICAL, series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        markFlat(chart, (NumberAxis) plot.getRangeAxis());
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, responses.length <= 100);
        for (int s = 0; s < series.size(); s++) {
            r.setSeriesStroke(s, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        return chart;
    }

    private String cell(String param, int row) {
        if (numeric(param)) {
            return StimulusSet.fmt(table.doubleColumn(param).get(row));
        }
        return table.stringColumn(param).get(row);
    }

    private static String unitOf(String p) {
        return switch (p) {
            case "orientation", "span", "opening", "phase" -> " (degrees)";
            case "radius", "thickness", "length" -> " (pixels)";
            case "frequency", "high", "low" -> " (cycles per image)";
            default -> "";
        };
    }

    /** Response over two numeric parameters as coloured blocks (for the winning polarity when both were shown). */
    public JFreeChart heatmap(String xName, String yName) {
        boolean bothWays = stimuli.polarities().size() > 1 && responses.length > 0;
        StimulusSet.Polarity won = bothWays ? winningPolarity() : null;
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < responses.length; i++) {
            if (won == null || stimuli.polarity(i) == won) {
                rows.add(i);
            }
        }
        int n = rows.size();
        double[][] xyz = new double[3][n];
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            int i = rows.get(k);
            xyz[0][k] = table.doubleColumn(xName).get(i);
            xyz[1][k] = table.doubleColumn(yName).get(i);
            xyz[2][k] = responses[i];
            lo = Math.min(lo, responses[i]);
            hi = Math.max(hi, responses[i]);
        }
        if (!(hi > lo) || flat()) {
            hi = lo + 1;
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("response", xyz);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockWidth(step(stimuli.valuesOf(xName)));
        r.setBlockHeight(step(stimuli.valuesOf(yName)));
        Ramp scale = new Ramp(lo, hi);
        r.setPaintScale(scale);
        NumberAxis xAxis = new NumberAxis(xName + unitOf(xName));
        NumberAxis yAxis = new NumberAxis(yName + unitOf(yName));
        xAxis.setAutoRangeIncludesZero(false);
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, r);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(title() + (won == null ? "" : ", " + won.label() + " (won)"),
                new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        NumberAxis legendAxis = new NumberAxis("response");
        legendAxis.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 4, 4);
        chart.addSubtitle(legend);
        markFlat(chart, null);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static double step(double[] v) {
        double s = Double.POSITIVE_INFINITY;
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] > sorted[i - 1]) {
                s = Math.min(s, sorted[i] - sorted[i - 1]);
            }
        }
        return Double.isInfinite(s) ? 1 : s;
    }

    /** Dark blue through teal to yellow. */
    private record Ramp(double lo, double hi) implements PaintScale {
        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
            float[][] stops = {{0.27f, 0.00f, 0.33f}, {0.23f, 0.32f, 0.55f}, {0.13f, 0.57f, 0.55f},
                    {0.37f, 0.79f, 0.38f}, {0.99f, 0.91f, 0.15f}};
            double pos = t * (stops.length - 1);
            int i = Math.min(stops.length - 2, (int) pos);
            float f = (float) (pos - i);
            return new Color(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]),
                    stops[i][1] + f * (stops[i + 1][1] - stops[i][1]), stops[i][2] + f * (stops[i + 1][2]
                    - stops[i][2]));
        }
    }

    /** Up to {@code m} stimuli spread over the set, each with its response underneath. */
    public BufferedImage strip(int m) {
        int n = responses.length;
        int shown = Math.min(m, n);
        int cell = 64;
        BufferedImage out = new BufferedImage(Math.max(1, shown * (cell + 4)), cell + 18,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int k = 0; k < shown; k++) {
                int i = shown == 1 ? 0 : (int) Math.round((double) k * (n - 1) / (shown - 1));
                g.drawImage(stimuli.render(i), k * (cell + 4), 0, cell, cell, null);
                g.setColor(i == peakIndex() ? new Color(200, 0, 0) : Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.3g", responses[i]), k * (cell + 4) + 2, cell + 13);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static String png64(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Object> representations() {
        BufferedImage chartImage = chart().createBufferedImage(720, 400);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", toString());
        StringBuilder sb = new StringBuilder("<div class=\"circuitscope-tuning\"><p><b>")
                .append(Html.escape(title())).append("</b>: ").append(responses.length).append(" stimuli, ")
                .append(Html.escape(reading)).append("; peak ").append(Html.escape(peakText())).append("</p>");
        sb.append("<img src=\"data:image/png;base64,").append(png64(chartImage)).append("\"/><br/>");
        sb.append("<img src=\"data:image/png;base64,").append(png64(strip(12))).append("\"/>");
        sb.append("<details><summary>table</summary>");
        Html.table(sb, table, 40);
        sb.append("</details></div>");
        r.put("text/html", sb.toString());
        r.put("image/png", chartImage);
        return r;
    }

    private String peakText() {
        if (responses.length == 0) {
            return "none (no stimuli)";
        }
        if (flat()) {
            return "none (" + flatText() + ")";
        }
        int p = peakIndex();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.4g", responses[p]));
        sb.append(" at ").append(stimuli.describe(p));
        Map<StimulusSet.Polarity, Float> byPolarity = peakByPolarity();
        if (byPolarity.size() > 1) {
            StimulusSet.Polarity won = winningPolarity();
            sb.append("; ").append(won.label()).append(" won (");
            List<String> parts = new ArrayList<>();
            byPolarity.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "best %s %.4g", k.label(), v)));
            sb.append(String.join(", ", parts)).append(")");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return title() + ": " + responses.length + " stimuli, " + reading + "; peak " + peakText();
    }

    /** The stimuli as a plain image source (for activations or dataset examples). */
    public ImageSource source() {
        return stimuli;
    }

}
