package org.circuitscope.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.circuitscope.activations.Html;
import org.circuitscope.display.Captions;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Unit;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A unit's dataset examples, strongest first: as a labelled grid of the receptive-field crops (or of the whole
 * images with the box drawn: {@link #showFull(boolean)}), and as a table ({@link #table()}).
 */
public final class ExamplesResult implements Displayable {
    private static final int CELL = 144;

    private final String model;
    private final Unit unit;
    private final Unit read;
    private final boolean negative;
    private final ReceptiveField receptiveField;
    private final List<Example> examples;
    private final long imagesSeen;
    private final boolean partial;
    private final List<String> problems;
    private final String source;
    private boolean full;

    ExamplesResult(String model, Unit unit, Unit read, boolean negative, ReceptiveField receptiveField,
                   List<Example> examples, long imagesSeen, boolean partial, List<String> problems, String source) {
        this.model = model;
        this.unit = unit;
        this.read = read;
        this.negative = negative;
        this.receptiveField = receptiveField;
        this.examples = List.copyOf(examples);
        this.imagesSeen = imagesSeen;
        this.partial = partial;
        this.problems = List.copyOf(problems);
        this.source = source;
    }

    /**
     * A unit's examples found by another engine (a cluster's merged top-k) in the form {@link DatasetExamples} gives
     * them: {@code read} is where the value was read (before the ReLU for negative examples), the receptive field
     * is {@code read}'s layer's in {@code model}, and each example's image is as the model saw it.
     */
    public static ExamplesResult of(org.circuitscope.model.Model model, Unit unit, Unit read, boolean negative,
                                    List<Example> examples, long imagesSeen, List<String> problems, String source) {
        return new ExamplesResult(model.name(), unit, read, negative, ReceptiveField.of(model, read.layer()),
                examples, imagesSeen, false, problems, source);
    }

    public List<Example> examples() {
        return examples;
    }

    /** The unit asked for. */
    public Unit unit() {
        return unit;
    }

    /** The unit whose values were read: the one asked for, or its pre-ReLU counterpart for negative examples. */
    public Unit unitRead() {
        return read;
    }

    public boolean negative() {
        return negative;
    }

    public ReceptiveField receptiveField() {
        return receptiveField;
    }

    public long imagesSeen() {
        return imagesSeen;
    }

    public boolean partial() {
        return partial;
    }

    public List<String> problems() {
        return problems;
    }

    /** Whether the grid shows whole images with the box drawn (true) or the crops (false, the default). */
    public ExamplesResult showFull(boolean b) {
        this.full = b;
        return this;
    }

    /** rank, image, label, value, y, x and the box (box_x, box_y, box_w, box_h in model-input pixels). */
    public Table table() {
        IntColumn rank = IntColumn.create("rank");
        StringColumn image = StringColumn.create("image");
        StringColumn label = StringColumn.create("label");
        FloatColumn value = FloatColumn.create("value");
        IntColumn y = IntColumn.create("y");
        IntColumn x = IntColumn.create("x");
        IntColumn bx = IntColumn.create("box_x");
        IntColumn by = IntColumn.create("box_y");
        IntColumn bw = IntColumn.create("box_w");
        IntColumn bh = IntColumn.create("box_h");
        for (Example e : examples) {
            rank.append(e.rank());
            image.append(e.id());
            label.append(e.label() == null ? "" : e.label());
            value.append(e.value());
            y.append(e.y());
            x.append(e.x());
            bx.append(e.box().x);
            by.append(e.box().y);
            bw.append(e.box().width);
            bh.append(e.box().height);
        }
        return Table.create(title(), rank, image, label, value, y, x, bx, by, bw, bh);
    }

    private String title() {
        return (negative ? "most negative" : "top") + " " + examples.size() + " examples of " + unit
                + (read.equals(unit) ? "" : " (read at " + read + ", before the ReLU)") + " in " + model + " over "
                + source;
    }

    /** The grid: one cell per example (crop or full image with its box), captioned with rank, value and label. */
    public BufferedImage grid() {
        int n = examples.size();
        int cols = Math.max(1, (int) Math.ceil(Math.sqrt(n)));
        int rows = Math.max(1, (n + cols - 1) / cols);
        int caption = 30;
        int pad = 6;
        BufferedImage out = new BufferedImage(cols * (CELL + pad) + pad, rows * (CELL + caption + pad) + pad,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < n; i++) {
                Example e = examples.get(i);
                int cx = pad + (i % cols) * (CELL + pad);
                int cy = pad + (i / cols) * (CELL + caption + pad);
                BufferedImage shown = full ? e.image() : e.crop();
                double scale = Math.min((double) CELL / shown.getWidth(), (double) CELL / shown.getHeight());
                int w = (int) Math.round(shown.getWidth() * scale);
                int h = (int) Math.round(shown.getHeight() * scale);
                int ox = cx + (CELL - w) / 2;
                int oy = cy + (CELL - h) / 2;
                g.drawImage(shown, ox, oy, w, h, null);
                if (full) {
                    Rectangle b = e.box();
                    g.setColor(new Color(230, 30, 30));
                    g.setStroke(new BasicStroke(2f));
                    g.drawRect(ox + (int) Math.round(b.x * scale), oy + (int) Math.round(b.y * scale),
                            (int) Math.round(b.width * scale), (int) Math.round(b.height * scale));
                }
                g.setColor(Color.BLACK);
                String line1 = String.format(Locale.ROOT, "#%d  %.4g", e.rank(), e.value());
                List<String> fitted = Captions.lines(e.label() != null ? e.label() : e.id(), fm, CELL, 1);
                String line2 = fitted.isEmpty() ? "" : fitted.get(0);
                g.drawString(line1, cx, cy + CELL + fm.getAscent() + 1);
                g.setColor(new Color(90, 90, 90));
                g.drawString(line2, cx, cy + CELL + fm.getAscent() + fm.getHeight() + 1);
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

    @Override
    public Map<String, Object> representations() {
        BufferedImage grid = grid();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", toString());
        StringBuilder sb = new StringBuilder("<div class=\"circuitscope-examples\"><p><b>")
                .append(Html.escape(title())).append("</b> (").append(imagesSeen).append(" images; ")
                .append(Html.escape(receptiveField.toString())).append(")");
        if (partial) {
            sb.append(" — <span style=\"color:#b00\"><b>partial</b>: interrupted, the best of the images seen"
                    + "</span>");
        }
        sb.append("</p>");
        Html.problems(sb, problems);
        sb.append("<img src=\"data:image/png;base64,").append(png64(grid)).append("\"/>");
        sb.append("<details><summary>table</summary>");
        Html.table(sb, table(), examples.size());
        sb.append("</details></div>");
        r.put("text/html", sb.toString());
        r.put("image/png", grid);
        return r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(title()).append(" (").append(imagesSeen).append(" images")
                .append(partial ? ", PARTIAL" : "").append(")");
        for (Example e : examples) {
            sb.append(String.format(Locale.ROOT, "%n  #%d %.4g %s%s @%d,%d box %d,%d %dx%d", e.rank(), e.value(),
                    e.id(), e.label() == null ? "" : " [" + e.label() + "]", e.y(), e.x(), e.box().x, e.box().y,
                    e.box().width, e.box().height));
        }
        return sb.toString();
    }
}
