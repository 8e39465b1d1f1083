package org.circuitscope.circuit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.model.Unit;
import org.circuitscope.weights.Heatmaps;

/**
 * Draws a circuit like "Zoom In"'s diagrams: one row per layer (the unit's layer on top), units as thumbnails (or
 * discs with their channel number), edges coloured by sign and thickened by strength. SVG edges carry a
 * {@code <title>} and show their weight heatmap on hover; the edges into the unit also have their heatmap drawn
 * beside them (in SVG and in the PNG fallback).
 */
final class CircuitDiagram {
    private static final int LEFT = 190;
    private static final int TOP = 112;
    private static final int ROW = 150;

    private CircuitDiagram() {
    }

    /** Where everything goes. */
    private static final class Layout {
        final CircuitResult c;
        final int node;
        final int col;
        final int width;
        final int height;
        final Map<Unit.Channel, int[]> pos = new HashMap<>();
        final double maxStrength;
        final double range;
        final boolean byAttribution;
        final Map<Unit.Channel, Double> maxInto = new HashMap<>();

        Layout(CircuitResult c) {
            this.c = c;
            boolean thumbs = c.nodes().stream().anyMatch(n -> c.thumbnail(n.unit()) != null);
            this.node = thumbs ? 52 : 30;
            this.col = node + 22;
            Map<Unit.Channel, Integer> firstUse = new HashMap<>();
            for (int i = 0; i < c.edges().size(); i++) {
                firstUse.putIfAbsent(c.edges().get(i).from(), i);
            }
            int maxRow = 1;
            Map<String, List<Unit.Channel>> byRow = new HashMap<>();
            for (CircuitNode n : c.nodes()) {
                byRow.computeIfAbsent(n.layer(), k -> new ArrayList<>()).add(n.unit());
            }
            for (List<Unit.Channel> r : byRow.values()) {
                r.sort(Comparator.comparingInt(u -> firstUse.getOrDefault(u, -1)));
                maxRow = Math.max(maxRow, r.size());
            }
            this.width = Math.max(760, LEFT + maxRow * col + 30);
            this.height = TOP + c.rows().size() * ROW + 20;
            for (int r = 0; r < c.rows().size(); r++) {
                List<Unit.Channel> units = byRow.getOrDefault(c.rows().get(r), List.of());
                int span = units.size() * col;
                int x0 = LEFT + (width - LEFT - 30 - span) / 2;
                for (int i = 0; i < units.size(); i++) {
                    pos.put(units.get(i), new int[] {x0 + i * col + col / 2, TOP + r * ROW + 40});
                }
            }
            this.byAttribution = c.ranking() == Circuit.Ranking.ATTRIBUTION;
            double ms = 0;
            double rg = 0;
            for (CircuitEdge e : c.edges()) {
                ms = Math.max(ms, strength(e));
                maxInto.merge(e.to(), strength(e), Math::max);
                rg = Math.max(rg, Heatmaps.range(e.kernel()));
            }
            this.maxStrength = ms;
            this.range = rg;
        }

        double strength(CircuitEdge e) {
            return byAttribution && !Double.isNaN(e.attribution()) ? Math.abs(e.attribution()) : e.weightNorm();
        }

        /** Width relative to the strongest edge into the same unit, so every level reads on its own. */
        float stroke(CircuitEdge e) {
            double max = maxInto.getOrDefault(e.to(), maxStrength);
            return (float) (0.8 + 5.2 * (max > 0 ? strength(e) / max : 0));
        }

        /** Top centre of the input node and bottom centre of the unit it feeds. */
        int[] line(CircuitEdge e) {
            int[] a = pos.get(e.from());
            int[] b = pos.get(e.to());
            return new int[] {a[0], a[1] - node / 2, b[0], b[1] + node / 2 + 14};
        }

        int besideCell(CircuitEdge e) {
            return Math.max(2, Math.min(10, 30 / Math.max(e.kh(), e.kw())));
        }

        String strengthCaption() {
            return (byAttribution ? "thickness ∝ |attribution|" : "thickness ∝ weight L2 norm")
                    + ", relative to each unit's strongest input";
        }
    }

    static String svg(CircuitResult c) {
        Layout lay = new Layout(c);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">", lay.width, lay.height, lay.width, lay.height));
        s.append("<style>.cs-edge .cs-hm{visibility:hidden}.cs-edge:hover .cs-hm{visibility:visible}"
                + ".cs-edge:hover line{stroke-opacity:1}</style>");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        s.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">").append(Heatmaps.escape(c.title()))
                .append("</text>");
        s.append("<text x=\"10\" y=\"40\" font-size=\"13\" fill=\"").append(c.pruning() == null ? "#777777"
                : "#1a1a1a").append("\">").append(Heatmaps.escape(c.pruningLine())).append("</text>");
        // legend
        s.append(String.format(Locale.ROOT, "<line x1=\"10\" y1=\"58\" x2=\"40\" y2=\"58\" stroke=\"%s\" "
                + "stroke-width=\"3\"/><text x=\"46\" y=\"62\" font-size=\"11\">excitatory</text>",
                Heatmaps.hex(Heatmaps.RED)));
        s.append(String.format(Locale.ROOT, "<line x1=\"120\" y1=\"58\" x2=\"150\" y2=\"58\" stroke=\"%s\" "
                + "stroke-width=\"3\"/><text x=\"156\" y=\"62\" font-size=\"11\">inhibitory</text>",
                Heatmaps.hex(Heatmaps.BLUE)));
        s.append("<text x=\"230\" y=\"62\" font-size=\"11\">").append(Heatmaps.escape(lay.strengthCaption()
                + "; hover an edge for its weights")).append("</text>");
        Heatmaps.svgLegend(s, lay.range, 10, 72, 120, "weights (colour of the heatmaps)");
        for (int r = 0; r < c.rows().size(); r++) {
            s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"12\" fill=\"#444444\">%s"
                    + "</text>", TOP + r * ROW + 44, Heatmaps.escape(c.rows().get(r))));
        }
        // edges: the strongest drawn last, on top
        List<CircuitEdge> order = new ArrayList<>(c.edges());
        order.sort(Comparator.comparingDouble(lay::strength));
        for (CircuitEdge e : order) {
            int[] l = lay.line(e);
            String col = Heatmaps.hex(e.excitatory() ? Heatmaps.RED : Heatmaps.BLUE);
            s.append("<g class=\"cs-edge\">");
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"%.2f\" stroke-opacity=\"0.75\"/>", l[0], l[1], l[2], l[3], col, lay.stroke(e)));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\" "
                    + "stroke-opacity=\"0\" stroke-width=\"9\"/>", l[0], l[1], l[2], l[3]));
            s.append("<title>").append(Heatmaps.escape(edgeText(e))).append("</title>");
            int mx = (l[0] + l[2]) / 2;
            int my = (l[1] + l[3]) / 2;
            int cell = Math.max(4, Math.min(14, 70 / Math.max(e.kh(), e.kw())));
            s.append("<g class=\"cs-hm\">");
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" "
                    + "stroke=\"#555555\"/>", mx + 6, my - 4, e.kw() * cell + 8, e.kh() * cell + 8));
            Heatmaps.svgKernel(s, e.kernel(), e.kh(), e.kw(), lay.range, mx + 10, my, cell, false);
            s.append("</g></g>");
        }
        // heatmaps beside the edges into the unit
        for (CircuitEdge e : c.inputs(c.unit())) {
            int[] l = lay.line(e);
            int cell = lay.besideCell(e);
            double t = 0.35;
            double bx = l[0] + (l[2] - l[0]) * t + 4;
            double by = l[1] + (l[3] - l[1]) * t - e.kh() * cell / 2.0;
            s.append("<g><title>").append(Heatmaps.escape(edgeText(e))).append("</title>");
            Heatmaps.svgKernel(s, e.kernel(), e.kh(), e.kw(), lay.range, bx, by, cell, false);
            s.append("</g>");
        }
        for (CircuitNode n : c.nodes()) {
            int[] p = lay.pos.get(n.unit());
            BufferedImage th = c.thumbnail(n.unit());
            s.append("<g><title>").append(Heatmaps.escape(n.unit().toString())).append("</title>");
            if (th != null) {
                s.append(String.format(Locale.ROOT, "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" href=\"%s\"/>",
                        p[0] - lay.node / 2, p[1] - lay.node / 2, lay.node, lay.node, Heatmaps.dataUri(th)));
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                        + "stroke=\"%s\" stroke-width=\"%d\"/>", p[0] - lay.node / 2, p[1] - lay.node / 2, lay.node,
                        lay.node, n.depth() == 0 ? "#000000" : "#999999", n.depth() == 0 ? 2 : 1));
            } else {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" stroke=\"%s\" "
                        + "stroke-width=\"%d\"/>", p[0], p[1], lay.node / 2, n.depth() == 0 ? "#fde0a0" : "#f2f2f2",
                        n.depth() == 0 ? "#000000" : "#888888", n.depth() == 0 ? 2 : 1));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d"
                    + "</text>", p[0], p[1] + lay.node / 2 + 12, n.unit().channel()));
            s.append("</g>");
        }
        s.append("</svg>");
        return s.toString();
    }

    static BufferedImage png(CircuitResult c) {
        Layout lay = new Layout(c);
        BufferedImage img = new BufferedImage(lay.width, lay.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, lay.width, lay.height);
            g.setColor(Heatmaps.INK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(c.title(), 10, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(c.pruningLine(), 10, 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setStroke(new BasicStroke(3));
            g.setColor(Heatmaps.RED);
            g.drawLine(10, 58, 40, 58);
            g.setColor(Heatmaps.BLUE);
            g.drawLine(120, 58, 150, 58);
            g.setColor(Heatmaps.INK);
            g.drawString("excitatory", 46, 62);
            g.drawString("inhibitory", 156, 62);
            g.drawString(lay.strengthCaption(), 230, 62);
            Heatmaps.drawLegend(g, lay.range, 10, 72, 120, "weights (colour of the heatmaps)");
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(68, 68, 68));
            for (int r = 0; r < c.rows().size(); r++) {
                g.drawString(c.rows().get(r), 10, TOP + r * ROW + 44);
            }
            List<CircuitEdge> order = new ArrayList<>(c.edges());
            order.sort(Comparator.comparingDouble(lay::strength));
            for (CircuitEdge e : order) {
                int[] l = lay.line(e);
                Color col = e.excitatory() ? Heatmaps.RED : Heatmaps.BLUE;
                g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 190));
                g.setStroke(new BasicStroke(lay.stroke(e), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.drawLine(l[0], l[1], l[2], l[3]);
            }
            g.setStroke(new BasicStroke(1));
            for (CircuitEdge e : c.inputs(c.unit())) {
                int[] l = lay.line(e);
                int cell = lay.besideCell(e);
                double t = 0.35;
                int bx = (int) (l[0] + (l[2] - l[0]) * t + 4);
                int by = (int) (l[1] + (l[3] - l[1]) * t - e.kh() * cell / 2.0);
                Heatmaps.drawKernel(g, e.kernel(), e.kh(), e.kw(), lay.range, bx, by, cell, false);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (CircuitNode n : c.nodes()) {
                int[] p = lay.pos.get(n.unit());
                BufferedImage th = c.thumbnail(n.unit());
                int x = p[0] - lay.node / 2;
                int y = p[1] - lay.node / 2;
                if (th != null) {
                    g.drawImage(th, x, y, lay.node, lay.node, null);
                    g.setColor(n.depth() == 0 ? Color.BLACK : Color.GRAY);
                    g.drawRect(x, y, lay.node, lay.node);
                } else {
                    g.setColor(n.depth() == 0 ? new Color(253, 224, 160) : new Color(242, 242, 242));
                    g.fillOval(x, y, lay.node, lay.node);
                    g.setColor(n.depth() == 0 ? Color.BLACK : Color.GRAY);
                    g.drawOval(x, y, lay.node, lay.node);
                }
                g.setColor(Heatmaps.INK);
                String label = Integer.toString(n.unit().channel());
                g.drawString(label, p[0] - g.getFontMetrics().stringWidth(label) / 2, p[1] + lay.node / 2 + 12);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    static String edgeText(CircuitEdge e) {
        return e.from() + " → " + e.to() + (e.excitatory() ? "  excitatory" : "  inhibitory")
                + String.format(Locale.ROOT, "  ‖w‖=%s  Σw=%s", Heatmaps.format(e.weightNorm()),
                Heatmaps.format(e.weightSum()))
                + (Double.isNaN(e.attribution()) ? "" : "  attribution=" + Heatmaps.format(e.attribution()))
                + (e.expanded() ? "  (expanded weights, " : "  (") + e.kh() + "×" + e.kw() + ")";
    }
}
