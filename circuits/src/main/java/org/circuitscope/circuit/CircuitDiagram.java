package org.circuitscope.circuit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Unit;
import org.circuitscope.weights.Heatmaps;
import org.circuitscope.weights.Sign;

/**
 * Draws a circuit like "Zoom In"'s diagrams: one row per layer (the unit's layer on top), units as thumbnails (or
 * numbered discs), and every edge passing through its own weight heatmap, coloured by sign and thickened by strength.
 * <p>Between two rows the heatmaps sit side by side in a band (two staggered lanes when they are many), each edge
 * running from its input's top up into its heatmap and on from the heatmap to a point under its unit's label. Edges
 * therefore never cross a label, a unit or another edge's heatmap; {@link Layout} keeps the geometry so tests can
 * check exactly that. An edge that skips a row runs round the right of the figure.
 */
final class CircuitDiagram {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final int HEADER = 112;
    private static final int MARGIN = 20;
    /** Space between a row's labels and the band above the next row, and between a band and the row below it. */
    private static final int GAP = 26;
    private static final int LANE_GAP = 6;
    /** How far below a label an edge ends, and how far above its unit it starts to slant. */
    private static final int STUB = 6;
    private static final int CLEARANCE = 5;
    private static final int HEATMAP = 36;
    private static final int SCALE_WIDTH = 100;

    private CircuitDiagram() {
    }

    static Figure figure(CircuitResult c) {
        Layout lay = new Layout(c);
        return Figure.of(c.toString(), lay.width, lay.height, g -> paint(g, c, lay));
    }

    /** One unit's place: its thumbnail or disc, and the label under it. */
    record Node(Unit unit, int row, Rectangle2D box, Rectangle2D label, String text) {
        double x() {
            return box.getCenterX();
        }
    }

    /** One edge's heatmap and the polyline the edge is drawn along (input end first). */
    record Edge(CircuitEdge edge, int band, Rectangle2D heatmap, int cell, List<Point2D> below,
                List<Point2D> above) {
        List<Point2D> path() {
            List<Point2D> p = new ArrayList<>(below);
            p.addAll(above);
            return p;
        }
    }

    /** Where everything goes. */
    static final class Layout {
        final int node;
        final int left;
        final int width;
        final int height;
        final List<Node> nodes = new ArrayList<>();
        final Map<Unit, Node> byUnit = new HashMap<>();
        final List<Edge> edges = new ArrayList<>();
        final double[] bandRange;
        final double[] rowY;
        final double[] bandTop;
        final double[] bandBottom;
        private final boolean byAttribution;
        private final Map<Unit, Double> maxInto = new HashMap<>();

        Layout(CircuitResult c) {
            FontMetrics fm = metrics(SMALL);
            FontMetrics rowFm = metrics(TEXT);
            boolean thumbs = c.nodes().stream().anyMatch(n -> c.thumbnail(n.unit()) != null);
            this.node = thumbs ? 56 : 30;
            this.byAttribution = c.ranking() == Circuit.Ranking.ATTRIBUTION;
            int rows = c.rows().size();
            int labelLeft = SCALE_WIDTH;
            for (String r : c.rows()) {
                labelLeft = Math.max(labelLeft, rowFm.stringWidth(r));
            }
            this.left = MARGIN + labelLeft + MARGIN;
            Map<String, Integer> rowOf = new HashMap<>();
            for (int r = 0; r < rows; r++) {
                rowOf.put(c.rows().get(r), r);
            }
            for (CircuitEdge e : c.edges()) {
                maxInto.merge(e.to(), strength(e), Math::max);
            }

            // the edges of each band: those into the units of the band's upper row
            List<List<CircuitEdge>> inBand = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                inBand.add(new ArrayList<>());
            }
            for (CircuitEdge e : c.edges()) {
                inBand.get(rowOf.get(CircuitNode.rowOf(e.to()))).add(e);
            }
            this.bandRange = new double[rows];
            int[] hmSize = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (CircuitEdge e : inBand.get(r)) {
                    bandRange[r] = Math.max(bandRange[r], Heatmaps.range(e.kernel()));
                    int cell = cell(e);
                    hmSize[r] = Math.max(hmSize[r], Math.max(e.kw(), e.kh()) * cell);
                }
            }

            // Top down: a row's units go where the heatmaps of their edges are (their mean), packed apart; then the
            // band under the row gets its heatmaps, grouped by the unit they feed, centred under it, and within a
            // group ordered by where their inputs ended up.
            Map<Unit, Double> x = new HashMap<>();
            List<List<Unit>> units = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                units.add(new ArrayList<>());
            }
            for (CircuitNode n : c.nodes()) {
                units.get(rowOf.get(n.row())).add(n.unit());
            }
            Map<CircuitEdge, Double> slotX = new HashMap<>();
            int[] lanes = new int[rows];
            int[] colOf = new int[rows];
            for (int r = 0; r < rows; r++) {
                int widest = node;
                for (Unit u : units.get(r)) {
                    widest = Math.max(widest, fm.stringWidth(Integer.toString(CircuitNode.indexOf(u))) + 4);
                }
                colOf[r] = widest + 18;
                List<Unit> row = units.get(r);
                Map<Unit, Double> ideal = new HashMap<>();
                for (int i = 0; i < row.size(); i++) {
                    Unit u = row.get(i);
                    double sum = 0;
                    int count = 0;
                    for (CircuitEdge e : c.edges()) {
                        if (e.from().equals(u) && slotX.containsKey(e)) {
                            sum += slotX.get(e);
                            count++;
                        }
                    }
                    ideal.put(u, count > 0 ? sum / count : i * colOf[r]);
                }
                row.sort(Comparator.comparingDouble(ideal::get));
                double[] packedRow = pack(row.stream().mapToDouble(ideal::get).toArray(), colOf[r]);
                for (int i = 0; i < row.size(); i++) {
                    x.put(row.get(i), packedRow[i]);
                }
                if (r > 0) {
                    reorderWithinGroups(inBand.get(r - 1), x, slotX);
                }
                List<CircuitEdge> band = inBand.get(r);
                if (band.isEmpty()) {
                    continue;
                }
                band.sort(Comparator.comparingDouble((CircuitEdge e) -> x.get(e.to())));
                double single = hmSize[r] + 2 * CLEARANCE + 4;
                lanes[r] = band.size() * single > Math.max(span(row, x), 960) ? 2 : 1;
                // with two lanes a vertical line through one lane passes its neighbours in the other lane
                double slot = lanes[r] == 2 ? hmSize[r] / 2.0 + CLEARANCE + 4 : single;
                Map<Unit, Integer> groupSize = new HashMap<>();
                band.forEach(e -> groupSize.merge(e.to(), 1, Integer::sum));
                Map<Unit, Integer> seen = new HashMap<>();
                double[] idealSlot = new double[band.size()];
                for (int i = 0; i < band.size(); i++) {
                    CircuitEdge e = band.get(i);
                    int k = seen.merge(e.to(), 1, Integer::sum) - 1;
                    idealSlot[i] = x.get(e.to()) + (k - (groupSize.get(e.to()) - 1) / 2.0) * slot;
                }
                double[] packed = pack(idealSlot, slot);
                for (int i = 0; i < band.size(); i++) {
                    slotX.put(band.get(i), packed[i]);
                }
                // a band wider than its row spreads the row: each unit over the middle of its group of heatmaps
                Map<Unit, double[]> groupSpan = new HashMap<>();
                for (CircuitEdge e : band) {
                    groupSpan.merge(e.to(), new double[] {slotX.get(e), slotX.get(e)},
                            (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                }
                double[] spread = new double[row.size()];
                for (int i = 0; i < row.size(); i++) {
                    double[] g = groupSpan.get(row.get(i));
                    spread[i] = g == null ? x.get(row.get(i)) : (g[0] + g[1]) / 2;
                }
                spread = pack(spread, colOf[r]);
                for (int i = 0; i < row.size(); i++) {
                    x.put(row.get(i), spread[i]);
                }
            }

            // shift everything right of the row labels
            double minX = Double.MAX_VALUE;
            for (int r = 0; r < rows; r++) {
                for (Unit u : units.get(r)) {
                    minX = Math.min(minX, x.get(u) - colOf[r] / 2.0);
                }
            }
            for (CircuitEdge e : c.edges()) {
                Double sx = slotX.get(e);
                if (sx != null) {
                    minX = Math.min(minX, sx - hmSize[rowOf.get(CircuitNode.rowOf(e.to()))] / 2.0 - CLEARANCE);
                }
            }
            double shift = left - minX;

            // vertical layout, top down
            this.rowY = new double[rows];
            this.bandTop = new double[rows];
            this.bandBottom = new double[rows];
            double y = HEADER;
            for (int r = 0; r < rows; r++) {
                rowY[r] = y;
                double labelBottom = y + node + 16;
                bandTop[r] = labelBottom + GAP;
                bandBottom[r] = bandTop[r] + (lanes[r] == 0 ? 0 : lanes[r] * hmSize[r] + (lanes[r] - 1) * LANE_GAP);
                y = bandBottom[r] + GAP;
            }
            double maxX = 0;
            for (int r = 0; r < rows; r++) {
                for (Unit u : units.get(r)) {
                    double cx = x.get(u) + shift;
                    Rectangle2D box = new Rectangle2D.Double(cx - node / 2.0, rowY[r], node, node);
                    String text = Integer.toString(CircuitNode.indexOf(u));
                    int tw = fm.stringWidth(text);
                    Rectangle2D label = new Rectangle2D.Double(cx - tw / 2.0 - 1, rowY[r] + node + 2, tw + 2,
                            fm.getAscent() + fm.getDescent());
                    Node n = new Node(u, r, box, label, text);
                    nodes.add(n);
                    byUnit.put(u, n);
                    maxX = Math.max(maxX, Math.max(box.getMaxX(), label.getMaxX()));
                }
            }
            for (CircuitEdge e : c.edges()) {
                Double sx = slotX.get(e);
                if (sx != null) {
                    maxX = Math.max(maxX, sx + shift + hmSize[rowOf.get(CircuitNode.rowOf(e.to()))] / 2.0);
                }
            }

            // each edge: input top → into the band → its heatmap → up to just under its unit's label
            double corridor = maxX + 14;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < inBand.get(r).size(); i++) {
                    CircuitEdge e = inBand.get(r).get(i);
                    Node from = byUnit.get(e.from());
                    Node to = byUnit.get(e.to());
                    int cell = cell(e);
                    double hw = e.kw() * cell;
                    double hh = e.kh() * cell;
                    double hx = slotX.get(e) + shift;
                    int lane = lanes[r] == 2 ? i % 2 : 0;
                    // lane 0 is the lower one; both lanes are hmSize tall and the heatmap sits centred in its lane
                    double laneTop = lanes[r] == 2 && lane == 1 ? bandTop[r]
                            : bandBottom[r] - hmSize[r];
                    double hy = laneTop + (hmSize[r] - hh) / 2.0;
                    Rectangle2D hm = new Rectangle2D.Double(hx - hw / 2.0, hy, hw, hh);
                    List<Point2D> below = new ArrayList<>();
                    below.add(new Point2D.Double(from.x(), from.box().getMinY()));
                    // a short stub first, so a shallow line clears the neighbouring units' tops
                    below.add(new Point2D.Double(from.x(), from.box().getMinY() - STUB));
                    if (from.row() > r + 1) {
                        // skips a row: along the top of its own row, up the right-hand corridor, in under the band
                        double aboveRow = from.box().getMinY() - GAP / 2.0;
                        double underBand = bandBottom[r] + GAP / 2.0;
                        below.add(new Point2D.Double(from.x(), aboveRow));
                        below.add(new Point2D.Double(corridor, aboveRow));
                        below.add(new Point2D.Double(corridor, underBand));
                        below.add(new Point2D.Double(hx, underBand));
                        corridor += 6;
                    } else {
                        // enter the band straight from below, clear of the neighbouring heatmaps' corners
                        below.add(new Point2D.Double(hx, bandBottom[r] + STUB));
                    }
                    below.add(new Point2D.Double(hx, hm.getMaxY()));
                    List<Point2D> above = new ArrayList<>();
                    above.add(new Point2D.Double(hx, hm.getMinY()));
                    above.add(new Point2D.Double(hx, bandTop[r] - STUB));
                    above.add(new Point2D.Double(to.x(), to.label().getMaxY() + STUB));
                    edges.add(new Edge(e, r, hm, cell, below, above));
                }
            }
            double header = Math.max(metrics(TITLE).stringWidth(c.title()), rowFm.stringWidth(c.explainedLine()));
            header = Math.max(header, Math.max(fm.stringWidth(PruningCheck.DEFINITION), fm.stringWidth(key(c))));
            this.width = (int) Math.ceil(Math.max(Math.max(corridor, maxX) + MARGIN, header + 20));
            this.height = (int) Math.ceil((rows == 0 ? HEADER : rowY[rows - 1] + node + 16) + MARGIN);
        }

        double strength(CircuitEdge e) {
            return byAttribution && !Double.isNaN(e.attribution()) ? Math.abs(e.attribution()) : e.weightNorm();
        }

        /** Width relative to the strongest edge into the same unit, so every level reads on its own. */
        float stroke(CircuitEdge e) {
            double max = maxInto.getOrDefault(e.to(), 0.0);
            return (float) (0.8 + 4.2 * (max > 0 ? strength(e) / max : 0));
        }

        String strengthCaption() {
            return (byAttribution ? "thickness ∝ |attribution|" : "thickness ∝ weight L2 norm")
                    + ", relative to each unit's strongest input";
        }

        private static int cell(CircuitEdge e) {
            return Math.max(2, Math.min(12, HEATMAP / Math.max(e.kh(), e.kw())));
        }

        /**
         * Within each group of a band's edges into one unit, hands the group's slots to its edges in the order of
         * their inputs' positions (inputs not placed yet, which skip a row, last), so lines into a group do not
         * cross each other needlessly.
         */
        private static void reorderWithinGroups(List<CircuitEdge> band, Map<Unit, Double> x,
                                                Map<CircuitEdge, Double> slotX) {
            int i = 0;
            while (i < band.size()) {
                int j = i;
                while (j < band.size() && band.get(j).to().equals(band.get(i).to())) {
                    j++;
                }
                List<CircuitEdge> group = new ArrayList<>(band.subList(i, j));
                List<Double> slots = group.stream().map(slotX::get).sorted().toList();
                group.sort(Comparator.comparingDouble(e -> x.getOrDefault(e.from(), Double.MAX_VALUE)));
                for (int k = 0; k < group.size(); k++) {
                    band.set(i + k, group.get(k));
                    slotX.put(group.get(k), slots.get(k));
                }
                i = j;
            }
        }

        private static double span(List<Unit> row, Map<Unit, Double> x) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (Unit u : row) {
                lo = Math.min(lo, x.get(u));
                hi = Math.max(hi, x.get(u));
            }
            return row.isEmpty() ? 0 : hi - lo;
        }
    }

    /**
     * Positions as close as possible (least squares) to {@code ideal}, in the same order, at least {@code gap} apart:
     * isotonic regression of {@code ideal[i] − i·gap} by pooling adjacent violators.
     */
    static double[] pack(double[] ideal, double gap) {
        int n = ideal.length;
        double[] value = new double[n];
        int[] size = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            value[blocks] = ideal[i] - i * gap;
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
                int s = size[blocks - 2] + size[blocks - 1];
                value[blocks - 2] = (value[blocks - 2] * size[blocks - 2] + value[blocks - 1] * size[blocks - 1]) / s;
                size[blocks - 2] = s;
                blocks--;
            }
        }
        double[] out = new double[n];
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < size[b]; k++, i++) {
                out[i] = value[b] + i * gap;
            }
        }
        return out;
    }

    private static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static void paint(Graphics2D g, CircuitResult c, Layout lay) {
        g.setColor(Heatmaps.INK);
        g.setFont(TITLE);
        g.drawString(c.title(), 10, 20);
        g.setFont(TEXT);
        g.drawString(c.explainedLine(), 10, 40);
        g.setFont(SMALL);
        g.setColor(new Color(90, 90, 90));
        if (c.pruning() != null) {
            g.drawString(PruningCheck.DEFINITION, 10, 57);
        }
        int lx = 10;
        for (Sign s : Sign.values()) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(3));
            g.drawLine(lx, 74, lx + 26, 74);
            g.setColor(Heatmaps.INK);
            g.drawString(s.word(), lx + 32, 78);
            lx += 32 + g.getFontMetrics().stringWidth(s.word()) + 18;
        }
        g.drawString(lay.strengthCaption(), lx + 10, 78);
        g.drawString(key(c), 10, 95);

        for (int r = 0; r < c.rows().size(); r++) {
            g.setFont(TEXT);
            g.setColor(new Color(68, 68, 68));
            g.drawString(c.rows().get(r), MARGIN, (int) (lay.rowY[r] + lay.node / 2.0 + 5));
            if (lay.bandRange[r] > 0) {
                int by = (int) ((lay.bandTop[r] + lay.bandBottom[r]) / 2 - 12);
                Heatmaps.drawLegend(g, lay.bandRange[r], MARGIN, by, SCALE_WIDTH, "");
            }
        }
        // edges under their heatmaps, the strongest drawn last
        List<Edge> order = new ArrayList<>(lay.edges);
        order.sort(Comparator.comparingDouble(e -> lay.strength(e.edge())));
        for (Edge e : order) {
            Color col = e.edge().sign().color();
            g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 200));
            g.setStroke(new BasicStroke(lay.stroke(e.edge()), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
            g.draw(polyline(e.below()));
            g.draw(polyline(e.above()));
        }
        for (Edge e : lay.edges) {
            Rectangle2D h = e.heatmap();
            g.setColor(e.edge().sign().color());
            g.setStroke(new BasicStroke(2));
            g.drawRect((int) h.getX() - 2, (int) h.getY() - 2, (int) h.getWidth() + 3, (int) h.getHeight() + 3);
            Heatmaps.drawKernel(g, e.edge().kernel(), e.edge().kh(), e.edge().kw(), lay.bandRange[e.band()],
                    (int) h.getX(), (int) h.getY(), e.cell(), false);
        }
        g.setFont(SMALL);
        for (Node n : lay.nodes) {
            Rectangle2D b = n.box();
            BufferedImage th = c.thumbnail(n.unit());
            boolean root = n.unit().equals(c.unit());
            int x = (int) b.getX();
            int y = (int) b.getY();
            if (th != null) {
                g.drawImage(th, x, y, lay.node, lay.node, null);
                g.setColor(root ? Color.BLACK : Color.GRAY);
                g.setStroke(new BasicStroke(root ? 2 : 1));
                g.drawRect(x, y, lay.node, lay.node);
            } else {
                g.setColor(root ? new Color(253, 224, 160) : new Color(242, 242, 242));
                g.fillOval(x, y, lay.node, lay.node);
                g.setColor(root ? Color.BLACK : Color.GRAY);
                g.setStroke(new BasicStroke(root ? 2 : 1));
                g.drawOval(x, y, lay.node, lay.node);
            }
            g.setColor(Heatmaps.INK);
            Rectangle2D l = n.label();
            g.drawString(n.text(), (int) Math.round(l.getX() + 1),
                    (int) Math.round(l.getY() + g.getFontMetrics().getAscent()));
        }
    }

    private static String key(CircuitResult c) {
        return "each edge passes through its weight heatmap: red excites, blue inhibits, on a symmetric scale per "
                + "pair of rows (left); " + ("none".equals(c.thumbnailsDescription()) ? "units are numbered discs"
                : "units show " + c.thumbnailsDescription());
    }

    private static Path2D polyline(List<Point2D> points) {
        Path2D p = new Path2D.Double();
        p.moveTo(points.get(0).getX(), points.get(0).getY());
        for (int i = 1; i < points.size(); i++) {
            p.lineTo(points.get(i).getX(), points.get(i).getY());
        }
        return p;
    }
}
