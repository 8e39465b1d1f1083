package org.circuitscope.featurevis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.circuitscope.display.Captions;
import org.circuitscope.display.Displayable;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The images a feature visualisation found, with their labels, the objective at every step (per image, measured on
 * the transformed images the model saw), the images kept at the threshold steps, and whether the run was
 * interrupted. In a notebook it shows the labelled images and a small chart of the objective over the steps.
 */
public final class FeatureVisResult implements Displayable {
    private final String objective;
    private final List<String> labels;
    private final List<BufferedImage> images;
    private final List<float[]> trace;
    private final Map<Integer, List<BufferedImage>> snapshots;
    private final boolean interrupted;
    private final int stepsDone;
    private final int stepsPlanned;
    private final double seconds;
    private final String param;
    private final String transforms;
    private final long seed;
    private final String model;
    private String note = "";

    FeatureVisResult(String objective, List<String> labels, List<BufferedImage> images, List<float[]> trace,
                     Map<Integer, List<BufferedImage>> snapshots, boolean interrupted, int stepsDone,
                     int stepsPlanned, double seconds, String param, String transforms, long seed, String model) {
        this.objective = objective;
        this.labels = List.copyOf(labels);
        this.images = List.copyOf(images);
        this.trace = List.copyOf(trace);
        this.snapshots = Collections.unmodifiableMap(new LinkedHashMap<>(snapshots));
        this.interrupted = interrupted;
        this.stepsDone = stepsDone;
        this.stepsPlanned = stepsPlanned;
        this.seconds = seconds;
        this.param = param;
        this.transforms = transforms;
        this.seed = seed;
        this.model = model;
    }

    /**
     * Several results side by side as one (the chunks of a layer sheet): images and labels in order, the traces
     * joined image by image over the steps all parts completed.
     */
    public static FeatureVisResult combine(List<FeatureVisResult> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine");
        }
        List<String> labels = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        int steps = Integer.MAX_VALUE;
        boolean interrupted = false;
        double seconds = 0;
        for (FeatureVisResult r : parts) {
            labels.addAll(r.labels);
            images.addAll(r.images);
            steps = Math.min(steps, r.trace.size());
            interrupted |= r.interrupted;
            seconds += r.seconds;
        }
        List<float[]> trace = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            float[] row = new float[images.size()];
            int at = 0;
            for (FeatureVisResult r : parts) {
                float[] v = r.trace.get(s);
                System.arraycopy(v, 0, row, at, v.length);
                at += v.length;
            }
            trace.add(row);
        }
        FeatureVisResult first = parts.get(0);
        int done = interrupted ? steps : first.stepsDone;
        String objective = first.objective.replaceAll(" channels .*$", "") + " channels "
                + labels.get(0).replaceAll(".*:", "") + "–" + labels.get(labels.size() - 1).replaceAll(".*:", "");
        return new FeatureVisResult(objective, labels, images, trace, Map.of(done, images), interrupted, done,
                first.stepsPlanned, seconds, first.param, first.transforms, first.seed, first.model);
    }

    /**
     * Adds a remark shown with the result (for example which layer a negative visualisation really optimised).
     * Returns this result.
     */
    public FeatureVisResult note(String text) {
        this.note = note.isEmpty() ? text : note + " " + text;
        return this;
    }

    /** The remarks shown with the result, or "". */
    public String note() {
        return note;
    }

    /** The optimised images, one per batch entry. */
    public List<BufferedImage> images() {
        return images;
    }

    public BufferedImage image() {
        return images.get(0);
    }

    public List<String> labels() {
        return labels;
    }

    public String objective() {
        return objective;
    }

    /** The objective summed over the batch at each step (index 0 is step 1). */
    public double[] trace() {
        double[] t = new double[trace.size()];
        for (int s = 0; s < t.length; s++) {
            double sum = 0;
            for (float v : trace.get(s)) {
                sum += v;
            }
            t[s] = sum;
        }
        return t;
    }

    /** The objective of image {@code index} at each step. */
    public double[] trace(int index) {
        double[] t = new double[trace.size()];
        for (int s = 0; s < t.length; s++) {
            t[s] = trace.get(s)[index];
        }
        return t;
    }

    /** The images kept after the threshold steps, and after the last step, by step number. */
    public Map<Integer, List<BufferedImage>> snapshots() {
        return snapshots;
    }

    /** Whether the run was stopped early; the images are then those optimised so far. */
    public boolean interrupted() {
        return interrupted;
    }

    public int steps() {
        return stepsDone;
    }

    public double seconds() {
        return seconds;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        double[] t = trace();
        return "feature visualisation of " + objective + " on " + model + ": " + images.size() + " image"
                + (images.size() == 1 ? "" : "s") + " " + (images.isEmpty() ? "" : images.get(0).getWidth() + "x"
                + images.get(0).getHeight()) + ", " + stepsDone + (interrupted ? " of " + stepsPlanned
                + " steps (INTERRUPTED)" : " steps") + ", " + param + ", seed " + seed + ", "
                + String.format("%.1f s", seconds) + (t.length > 0 ? String.format(", objective %.4g → %.4g", t[0],
                t[t.length - 1]) : "") + (note.isEmpty() ? "" : ". " + note);
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", toString());
        r.put("text/html", html());
        r.put("image/png", grid());
        return r;
    }

    private String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<div class=\"circuitscope-featurevis\" style=\"font-family:sans-serif;font-size:12px\">");
        sb.append("<div style=\"margin-bottom:4px\"><b>").append(esc(objective)).append("</b> · ").append(esc(model))
                .append(" · ").append(stepsDone).append(" steps · ").append(esc(param)).append(" · seed ")
                .append(seed).append(String.format(" · %.1f s", seconds));
        if (interrupted) {
            sb.append(" · <span style=\"color:#b00\"><b>interrupted</b> after ").append(stepsDone).append(" of ")
                    .append(stepsPlanned).append(" steps (images as optimised so far)</span>");
        }
        sb.append("</div>");
        if (!note.isEmpty()) {
            sb.append("<div style=\"margin-bottom:4px\">").append(esc(note)).append("</div>");
        }
        sb.append("<div style=\"display:flex;flex-wrap:wrap;gap:6px;align-items:flex-start\">");
        int shown = images.isEmpty() ? 0 : images.get(0).getWidth() < 160 ? Math.min(160,
                images.get(0).getWidth() * (images.size() > 16 ? 1 : 2)) : images.get(0).getWidth();
        for (int i = 0; i < images.size(); i++) {
            sb.append("<figure style=\"margin:0;text-align:center\"><img src=\"data:image/png;base64,")
                    .append(png64(images.get(i))).append("\" width=\"").append(shown)
                    .append("\" style=\"image-rendering:pixelated\" title=\"").append(esc(labels.get(i)))
                    .append("\"/><figcaption style=\"max-width:").append(shown)
                    .append("px;overflow-wrap:anywhere\">").append(esc(labels.get(i))).append("</figcaption></figure>");
        }
        if (!trace.isEmpty()) {
            sb.append("<figure style=\"margin:0\"><img src=\"data:image/png;base64,").append(png64(chart()))
                    .append("\"/><figcaption>objective per step</figcaption></figure>");
        }
        return sb.append("</div></div>").toString();
    }

    /**
     * The objective over the steps: one line per image for small batches (a legend beside the plot names them by
     * what tells them apart, e.g. "#0" … "#3"), else the batch mean.
     */
    public BufferedImage chart() {
        return chart(null);
    }

    /** The chart; {@code info}, when given, receives where JFreeChart put the plot. */
    BufferedImage chart(ChartRenderingInfo info) {
        XYSeriesCollection data = new XYSeriesCollection();
        int n = trace.isEmpty() ? 0 : trace.get(0).length;
        if (n <= 4) {
            List<String> names = distinctParts(labels.subList(0, n));
            for (int i = 0; i < n; i++) {
                XYSeries s = new XYSeries(n == 1 ? "objective" : names.get(i));
                for (int k = 0; k < trace.size(); k++) {
                    s.add(k + 1, trace.get(k)[i]);
                }
                data.addSeries(s);
            }
        } else {
            XYSeries s = new XYSeries("mean over " + n + " images");
            for (int k = 0; k < trace.size(); k++) {
                double sum = 0;
                for (float v : trace.get(k)) {
                    sum += v;
                }
                s.add(k + 1, sum / n);
            }
            data.addSeries(s);
        }
        boolean legend = n > 1 && n <= 4;
        JFreeChart chart = ChartFactory.createXYLineChart(null, "step", "objective", data, PlotOrientation.VERTICAL,
                legend, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        if (legend) {
            // beside the plot, not under it: four entries under a 170-pixel chart left the plot a sliver
            chart.getLegend().setPosition(RectangleEdge.RIGHT);
            chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(new Color(0xf6f6f6));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.2f));
        }
        plot.setRenderer(renderer);
        return chart.createBufferedImage(legend ? 400 : 320, 170, info);
    }

    /** The labels without the beginning they all share ("conv4:3 #0", "conv4:3 #1" → "#0", "#1"). */
    static List<String> distinctParts(List<String> labels) {
        if (labels.size() < 2) {
            return labels;
        }
        String first = labels.get(0);
        int common = first.length();
        for (String l : labels) {
            int i = 0;
            while (i < Math.min(common, l.length()) && l.charAt(i) == first.charAt(i)) {
                i++;
            }
            common = i;
        }
        // back to just after a separator, so "conv4:13" and "conv4:17" become "13" and "17", not "3" and "7"
        while (common > 0 && " /:_".indexOf(first.charAt(common - 1)) < 0) {
            common--;
        }
        List<String> out = new ArrayList<>();
        for (String l : labels) {
            String part = l.substring(common).trim();
            out.add(part.isEmpty() ? l : part);
        }
        return out;
    }

    /** The images side by side with their labels underneath (what non-HTML front ends show). */
    public BufferedImage grid() {
        if (images.isEmpty()) {
            return new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        }
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        int cols = Math.min(images.size(), Math.max(1, 1024 / (w + 4)));
        int rows = (images.size() + cols - 1) / cols;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        int line = 12;
        int labelH = 2 * line + 2;
        BufferedImage out = new BufferedImage(cols * (w + 4), rows * (h + labelH + 4), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.DARK_GRAY);
            for (int i = 0; i < images.size(); i++) {
                int x = (i % cols) * (w + 4) + 2;
                int y = (i / cols) * (h + labelH + 4) + 2;
                g.drawImage(images.get(i), x, y, null);
                List<String> caption = Captions.lines(labels.get(i), g.getFontMetrics(), w, 2);
                for (int k = 0; k < caption.size(); k++) {
                    g.drawString(caption.get(k), x, y + h + line * (k + 1) - 1);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    static String png64(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** All snapshot images in step order, for convenience. */
    public List<BufferedImage> allSnapshots() {
        List<BufferedImage> out = new ArrayList<>();
        snapshots.values().forEach(out::addAll);
        return out;
    }
}
