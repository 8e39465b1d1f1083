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
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;

/**
 * A unit's response to a family of stimuli: {@code TuningCurve.of(model, Unit.parse("conv2:5"), Stimuli.curves()
 * .orientations(0, 360, 5))}. The stimuli are drawn at the model's input size and, unless they were given a centre,
 * centred on the receptive field of the position that is read: a neuron's own position, or for a channel its
 * centre position (H/2, W/2). A channel's response is its value there ({@link Reduce#CENTER}, the default) or
 * its maximum over positions ({@link Reduce#MAX}); a direction's is its projection there. The result holds the
 * parameter table with a {@code response} column, and a line chart over the first varying parameter (one series per
 * combination of the others) or, for two numeric parameters, a heatmap.
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

    private TuningCurve(String model, Unit unit, StimulusSet stimuli, Table table, float[] responses,
                        boolean partial, int y, int x) {
        this.model = model;
        this.unit = unit;
        this.stimuli = stimuli;
        this.table = table;
        this.responses = responses;
        this.partial = partial;
        this.measuredY = y;
        this.measuredX = x;
    }

    public static TuningCurve of(Model model, Unit unit, StimulusSet stimuli) {
        return of(model, unit, stimuli, Reduce.CENTER, Progress.NONE);
    }

    public static TuningCurve of(Model model, String unit, StimulusSet stimuli) {
        return of(model, Unit.parse(unit), stimuli);
    }

    public static TuningCurve of(Model model, Unit unit, StimulusSet stimuli, Progress progress) {
        return of(model, unit, stimuli, Reduce.CENTER, progress);
    }

    /** @param reduce CENTER (the value at the measured position) or MAX (the maximum over positions) */
    public static TuningCurve of(Model model, Unit unit, StimulusSet stimuli, Reduce reduce, Progress progress) {
        if (reduce != Reduce.CENTER && reduce != Reduce.MAX && reduce != Reduce.MEAN) {
            throw new IllegalArgumentException("a tuning curve reads one number per stimulus: use center, max or "
                    + "mean, not " + reduce);
        }
        Layer layer = model.layers().get(unit.layer());
        int channels = (int) layer.channels();
        int h = layer.spatial() ? (int) layer.shape()[2] : 1;
        int w = layer.spatial() ? (int) layer.shape()[3] : 1;
        int y = h / 2;
        int x = w / 2;
        int channel = -1;
        float[] direction = null;
        if (unit instanceof Unit.Channel c) {
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
        if (!stimuli.hasCentre()) {
            ReceptiveField rf = ReceptiveField.of(model, layer.name());
            if (!rf.whole()) {
                double[] c = rf.centre(y, x);
                set.centre(Math.max(0, Math.min(set.width(), c[0])), Math.max(0, Math.min(set.height(), c[1])));
            }
        }
        int n = set.count();
        float[] out = new float[n];
        int done = 0;
        boolean partial = false;
        boolean neuron = unit instanceof Unit.Neuron;
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
                    float v;
                    if (direction != null) {
                        v = reduceDirection(d, base, direction, hw, neuron || reduce == Reduce.CENTER
                                ? y * w + x : -1, reduce);
                    } else if (neuron || reduce == Reduce.CENTER) {
                        v = d[base + channel * hw + y * w + x];
                    } else {
                        v = reduce.apply(d, base + channel * hw, h, w);
                    }
                    out[done + i] = v;
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
        params.setName("tuning of " + unit + " in " + model.name() + " to " + set.name());
        return new TuningCurve(model.name(), unit, set, params, r, partial, y, x);
    }

    private static float reduceDirection(float[] d, int base, float[] v, int hw, int position, Reduce reduce) {
        double best = reduce == Reduce.MAX ? Double.NEGATIVE_INFINITY : 0;
        for (int p = 0; p < hw; p++) {
            if (position >= 0 && p != position) {
                continue;
            }
            double s = 0;
            for (int c = 0; c < v.length; c++) {
                s += (double) v[c] * d[base + c * hw + p];
            }
            best = position >= 0 ? s : reduce == Reduce.MAX ? Math.max(best, s) : best + s / hw;
        }
        return (float) best;
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

    /** The layer position that was read (row, column). */
    public int[] position() {
        return new int[] {measuredY, measuredX};
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
        List<String> varying = stimuli.varying();
        if (varying.size() == 2 && numeric(varying.get(0)) && numeric(varying.get(1))) {
            return heatmap(varying.get(0), varying.get(1));
        }
        return lineChart();
    }

    private boolean numeric(String p) {
        return stimuli.kind().parameters().contains(p);
    }

    private String title() {
        return unit + " (" + model + ") vs " + stimuli.name() + (partial ? " [partial]" : "");
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

    /** Response over two numeric parameters as coloured blocks. */
    public JFreeChart heatmap(String xName, String yName) {
        int n = responses.length;
        double[][] xyz = new double[3][n];
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            xyz[0][i] = table.doubleColumn(xName).get(i);
            xyz[1][i] = table.doubleColumn(yName).get(i);
            xyz[2][i] = responses[i];
            lo = Math.min(lo, responses[i]);
            hi = Math.max(hi, responses[i]);
        }
        if (!(hi > lo)) {
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
        JFreeChart chart = new JFreeChart(title(), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        NumberAxis legendAxis = new NumberAxis("response");
        legendAxis.setRange(lo, hi);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 4, 4);
        chart.addSubtitle(legend);
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
                .append(Html.escape(title())).append("</b>: ").append(responses.length).append(" stimuli, read at ")
                .append(measuredY).append(",").append(measuredX).append("; peak ")
                .append(Html.escape(peakText())).append("</p>");
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
        int p = peakIndex();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.4g", responses[p]));
        String d = stimuli.describe(p);
        return sb.append(" at ").append(d).toString();
    }

    @Override
    public String toString() {
        return title() + ": " + responses.length + " stimuli; peak " + peakText();
    }

    /** The stimuli as a plain image source (for activations or dataset examples). */
    public ImageSource source() {
        return stimuli;
    }

}
