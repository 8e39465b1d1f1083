package org.circuitscope.weights;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Weight heatmaps on a diverging scale centred at zero: positive weights (excitation) red, negative (inhibition)
 * blue, zero white, symmetric about zero with the range stated on the figure. Drawn as PNG (Java2D) and as SVG text.
 */
public final class Heatmaps {
    public static final Color RED = new Color(178, 24, 43);
    public static final Color BLUE = new Color(33, 102, 172);
    public static final Color INK = new Color(40, 40, 40);

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

    public static String hex(Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
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

    /** SVG rectangles of one kernel at (x0, y0). */
    public static void svgKernel(StringBuilder s, float[] k, int kh, int kw, double range, double x0, double y0,
                          double cell, boolean values) {
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                float v = k[y * kw + x];
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"><title>%s</title></rect>", x0 + x * cell, y0 + y * cell, cell + 0.05,
                        cell + 0.05, hex(color(v, range)), "[" + y + "," + x + "] " + format(v)));
                if (values && cell >= 30) {
                    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" "
                            + "text-anchor=\"middle\" fill=\"%s\">%s</text>", x0 + x * cell + cell / 2,
                            y0 + y * cell + cell / 2 + 4, (int) Math.max(9, cell / 4),
                            Math.abs(v) > 0.6 * range ? "#ffffff" : "#282828", format(v)));
                }
            }
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                + "fill=\"none\" stroke=\"#969696\"/>", x0, y0, kw * cell, kh * cell));
    }

    public static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, a < 1 ? "%.3f" : "%.2f", v);
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public static String dataUri(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    public static void svgLegend(StringBuilder s, double range, double x0, double y0, double width, String caption) {
        String id = "csbar" + Integer.toHexString(System.identityHashCode(s)) + (int) x0 + (int) y0;
        s.append("<defs><linearGradient id=\"").append(id).append("\"><stop offset=\"0\" stop-color=\"")
                .append(hex(BLUE)).append("\"/><stop offset=\"0.5\" stop-color=\"#ffffff\"/><stop offset=\"1\" "
                        + "stop-color=\"").append(hex(RED)).append("\"/></linearGradient></defs>");
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" "
                + "fill=\"url(#%s)\"/>", x0, y0, width, id));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">−%s</text>", x0, y0 + 22,
                format(range)));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">0"
                + "</text>", x0 + width / 2, y0 + 22));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">+%s"
                + "</text>", x0 + width, y0 + 22, format(range)));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>",
                x0 + width + 10, y0 + 10, escape(caption)));
    }

    /** One panel of a small-multiples figure. */
    public record Panel(String title, String subtitle, float[] kernel, int kh, int kw, BufferedImage thumbnail,
                        Color accent) {
    }

    /** Small multiples: one heatmap per panel, in rows of {@code columns}, on one symmetric range. */
    public static BufferedImage smallMultiples(String title, List<Panel> panels, double range, int columns,
                                               int cellSize) {
        Layout lay = new Layout(panels, columns, cellSize);
        BufferedImage img = new BufferedImage(lay.width, lay.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, lay.width, lay.height);
            g.setColor(INK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, 10, 20);
            drawLegend(g, range, 10, 30, 160, "symmetric scale for the whole figure: red excites, blue inhibits");
            for (int p = 0; p < panels.size(); p++) {
                Panel pn = panels.get(p);
                int x0 = lay.x(p);
                int y0 = lay.y(p);
                if (pn.thumbnail() != null) {
                    g.drawImage(pn.thumbnail(), x0, y0, lay.thumb, lay.thumb, null);
                }
                int ky = y0 + lay.thumbSpace;
                drawKernel(g, pn.kernel(), pn.kh(), pn.kw(), range, x0, ky, lay.cell, true);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.setColor(pn.accent() != null ? pn.accent() : INK);
                g.drawString(pn.title(), x0, ky + lay.kernelH + 14);
                g.setColor(INK);
                g.drawString(pn.subtitle(), x0, ky + lay.kernelH + 28);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The same small multiples as SVG text (kernels as rectangles, thumbnails embedded). */
    public static String smallMultiplesSvg(String title, List<Panel> panels, double range, int columns,
                                           int cellSize) {
        Layout lay = new Layout(panels, columns, cellSize);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\">", lay.width, lay.height, lay.width, lay.height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        s.append("<text x=\"10\" y=\"20\" font-size=\"13\" font-weight=\"bold\">").append(escape(title))
                .append("</text>");
        svgLegend(s, range, 10, 30, 160, "symmetric scale for the whole figure: red excites, blue inhibits");
        for (int p = 0; p < panels.size(); p++) {
            Panel pn = panels.get(p);
            int x0 = lay.x(p);
            int y0 = lay.y(p);
            s.append("<g><title>").append(escape(pn.title() + " " + pn.subtitle())).append("</title>");
            if (pn.thumbnail() != null) {
                s.append(String.format(Locale.ROOT, "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        + "href=\"%s\"/>", x0, y0, lay.thumb, lay.thumb, dataUri(pn.thumbnail())));
            }
            int ky = y0 + lay.thumbSpace;
            svgKernel(s, pn.kernel(), pn.kh(), pn.kw(), range, x0, ky, lay.cell, true);
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>",
                    x0, ky + lay.kernelH + 14, hex(pn.accent() != null ? pn.accent() : INK), escape(pn.title())));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", x0,
                    ky + lay.kernelH + 28, escape(pn.subtitle())));
            s.append("</g>");
        }
        s.append("</svg>");
        return s.toString();
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
        static final int TOP = 64;

        Layout(List<Panel> panels, int columns, int cellSize) {
            int kh = panels.stream().mapToInt(Panel::kh).max().orElse(1);
            int kw = panels.stream().mapToInt(Panel::kw).max().orElse(1);
            this.cell = cellSize > 0 ? cellSize : Math.max(6, Math.min(36, 110 / Math.max(kh, kw)));
            this.kernelH = kh * cell;
            boolean thumbs = panels.stream().anyMatch(p -> p.thumbnail() != null);
            this.thumb = thumbs ? Math.max(64, kw * cell) : 0;
            this.thumbSpace = thumbs ? thumb + 6 : 0;
            this.panelW = Math.max(150, Math.max(kw * cell, thumb)) + 16;
            this.panelH = thumbSpace + kernelH + 40;
            this.columns = Math.max(1, Math.min(columns, panels.size()));
            int rows = (panels.size() + this.columns - 1) / this.columns;
            this.width = Math.max(560, this.columns * panelW + 20);
            this.height = TOP + Math.max(1, rows) * panelH + 10;
        }

        int x(int p) {
            return 10 + (p % columns) * panelW;
        }

        int y(int p) {
            return TOP + (p / columns) * panelH;
        }
    }
}
