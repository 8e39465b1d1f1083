package org.circuitscope.weights;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.circuitscope.display.Captions;
import org.circuitscope.display.Figure;

/**
 * Weight heatmaps on a diverging scale centred at zero: positive weights (excitation) red, negative (inhibition)
 * blue, zero white, symmetric about zero with the range stated on the figure. Figures are drawn once, as Graphics2D
 * calls in a {@link Figure}, which renders them to PNG and SVG alike.
 */
public final class Heatmaps {
    public static final Color RED = new Color(178, 24, 43);
    public static final Color BLUE = new Color(33, 102, 172);
    public static final Color INK = new Color(40, 40, 40);
    /** Neither excitatory nor inhibitory (a kernel whose weights cancel). */
    public static final Color GREY = new Color(130, 130, 130);

    private Heatmaps() {
    }

    /** The colour of {@code v} on a scale from {@code -range} (blue) through 0 (white) to {@code +range} (red). */
    public static Color color(double v, double range) {
        double t = range > 0 ? Math.max(-1, Math.min(1, v / range)) : 0;
        Color end = t >= 0 ? RED : BLUE;
        double a = Math.abs(t);
        return new Color((int) Math.round(255 + (end.getRed() - 255) * a),
                (int) Math.round(255 + (end.getGreen() - 255) * a), (int) Math.round(255 + (end.getBlue() - 255) * a));
    }

    /** The largest absolute value: the symmetric range of a figure. */
    public static double range(float[]... kernels) {
        double r = 0;
        for (float[] k : kernels) {
            for (float v : k) {
                r = Math.max(r, Math.abs(v));
            }
        }
        return r;
    }

    /** One kernel as an image of {@code cell}-pixel squares. */
    public static BufferedImage kernelImage(float[] k, int kh, int kw, double range, int cell) {
        BufferedImage img = new BufferedImage(kw * cell, kh * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            drawKernel(g, k, kh, kw, range, 0, 0, cell, false);
        } finally {
            g.dispose();
        }
        return img;
    }

    public static void drawKernel(Graphics2D g, float[] k, int kh, int kw, double range, int x0, int y0, int cell,
                           boolean values) {
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                float v = k[y * kw + x];
                g.setColor(color(v, range));
                g.fillRect(x0 + x * cell, y0 + y * cell, cell, cell);
                if (values && cell >= 30) {
                    g.setColor(Math.abs(v) > 0.6 * range ? Color.WHITE : INK);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, cell / 4)));
                    String s = format(v);
                    int sw = g.getFontMetrics().stringWidth(s);
                    g.drawString(s, x0 + x * cell + (cell - sw) / 2, y0 + y * cell + cell / 2 + 4);
                }
            }
        }
        g.setColor(new Color(150, 150, 150));
        g.setStroke(new BasicStroke(1));
        g.drawRect(x0, y0, kw * cell - 1, kh * cell - 1);
    }

    public static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, a < 1 ? "%.3f" : "%.2f", v);
    }

    /** The colour bar legend: −range (blue) … 0 … +range (red), with its caption. */
    public static void drawLegend(Graphics2D g, double range, int x0, int y0, int width, String caption) {
        for (int i = 0; i < width; i++) {
            g.setColor(color((2.0 * i / (width - 1) - 1) * range, range));
            g.fillRect(x0 + i, y0, 1, 10);
        }
        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString("−" + format(range), x0, y0 + 22);
        String zero = "0";
        g.drawString(zero, x0 + width / 2 - 3, y0 + 22);
        String plus = "+" + format(range);
        g.drawString(plus, x0 + width - g.getFontMetrics().stringWidth(plus), y0 + 22);
        g.drawString(caption, x0 + width + 10, y0 + 10);
    }

    /** One panel of a small-multiples figure. */
    public record Panel(String title, String subtitle, float[] kernel, int kh, int kw, BufferedImage thumbnail,
                        Color accent) {
    }

    /** Small multiples: one heatmap per panel, in rows of {@code columns}, on one symmetric range. */
    public static Figure smallMultiples(String description, String title, List<Panel> panels, double range,
                                        int columns, int cellSize) {
        Layout lay = new Layout(title, panels, columns, cellSize);
        return Figure.of(description, lay.width, lay.height, g -> {
            g.setColor(INK);
            g.setFont(TITLE_FONT);
            List<String> titleLines = titleLines(title, lay.width);
            for (int i = 0; i < titleLines.size(); i++) {
                g.drawString(titleLines.get(i), 10, 20 + 16 * i);
            }
            drawLegend(g, range, 10, lay.top - 34, 160,
                    "symmetric scale for the whole figure: red excites, blue inhibits");
            for (int p = 0; p < panels.size(); p++) {
                Panel pn = panels.get(p);
                int x0 = lay.x(p);
                int y0 = lay.y(p);
                if (pn.thumbnail() != null) {
                    g.drawImage(pn.thumbnail(), x0, y0, lay.thumb, lay.thumb, null);
                }
                int ky = y0 + lay.thumbSpace;
                drawKernel(g, pn.kernel(), pn.kh(), pn.kw(), range, x0, ky, lay.cell, true);
                g.setFont(CAPTION_FONT);
                g.setColor(pn.accent() != null ? pn.accent() : INK);
                List<String> lines = captionLines(pn.title(), lay.panelW);
                for (int i = 0; i < lines.size(); i++) {
                    g.drawString(lines.get(i), x0, ky + lay.kernelH + 14 + 13 * i);
                }
                g.setColor(INK);
                g.drawString(pn.subtitle(), x0, ky + lay.kernelH + 14 + 13 * CAPTION_LINES + 1);
            }
        });
    }

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    /** Lines a panel's caption may take: a unit name such as MobileNetV2/expanded_conv_5/add/add:17 needs two. */
    static final int CAPTION_LINES = 2;

    private static FontMetrics metrics(Font f) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(f);
        } finally {
            g.dispose();
        }
    }

    /**
     * A panel's caption broken into lines that stay inside its column (so neighbouring captions never run into
     * each other), keeping the end of a name that is still too long: its layer and channel.
     */
    static List<String> captionLines(String caption, int panelWidth) {
        return Captions.lines(caption, metrics(CAPTION_FONT), panelWidth - 12,
                CAPTION_LINES);
    }

    /** The figure's title in at most two lines of its width. */
    static List<String> titleLines(String title, int figureWidth) {
        return Captions.lines(title, metrics(TITLE_FONT), figureWidth - 20, 2);
    }

    private static final class Layout {
        final int cell;
        final int kernelH;
        final int panelW;
        final int panelH;
        final int thumb;
        final int thumbSpace;
        final int columns;
        final int width;
        final int height;
        final int top;
        static final int TOP = 64;

        Layout(String title, List<Panel> panels, int columns, int cellSize) {
            int kh = panels.stream().mapToInt(Panel::kh).max().orElse(1);
            int kw = panels.stream().mapToInt(Panel::kw).max().orElse(1);
            this.cell = cellSize > 0 ? cellSize : Math.max(6, Math.min(36, 110 / Math.max(kh, kw)));
            this.kernelH = kh * cell;
            boolean thumbs = panels.stream().anyMatch(p -> p.thumbnail() != null);
            this.thumb = thumbs ? Math.max(64, kw * cell) : 0;
            this.thumbSpace = thumbs ? thumb + 6 : 0;
            this.panelW = Math.max(150, Math.max(kw * cell, thumb)) + 16;
            this.panelH = thumbSpace + kernelH + 40 + 13 * (CAPTION_LINES - 1);
            this.columns = Math.max(1, Math.min(columns, panels.size()));
            int rows = (panels.size() + this.columns - 1) / this.columns;
            this.width = Math.max(560, this.columns * panelW + 20);
            this.top = TOP + 16 * (titleLines(title, width).size() - 1);
            this.height = top + Math.max(1, rows) * panelH + 10;
        }

        int x(int p) {
            return 10 + (p % columns) * panelW;
        }

        int y(int p) {
            return top + (p / columns) * panelH;
        }
    }
}
