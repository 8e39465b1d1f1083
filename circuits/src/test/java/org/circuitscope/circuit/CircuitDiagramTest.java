package org.circuitscope.circuit;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.weights.PlantedModels;
import org.circuitscope.weights.Sign;
import org.circuitscope.weights.Thumbnails;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diagram's geometry: every edge has its heatmap, and no edge crosses a label, a unit or another edge's heatmap
 * (lines counted at the widest stroke drawn), in small and crowded circuits and one whose edges skip a row.
 */
class CircuitDiagramTest {
    /** Half the widest edge stroke, in pixels. */
    private static final double HALF_STROKE = 2.5;
    private static Model planted;
    private static Model branches;

    @BeforeAll
    static void load() {
        planted = PlantedModels.fire();
        // x → a (conv 3×3) → a_relu → b (conv 1×1) → b_relu; cat = [a_relu, b_relu] → out (conv 3×3): out's inputs
        // cat:0-1 read x while cat:2-3 read a_relu, so the edges into cat:0-1 skip the a_relu row
        byte[] bytes = new TestGraphs(5).input("x", 1, 3, 12, 12)
                .weight("wa", 2, 3, 3, 3).weight("ba", 2)
                .node("Conv", list("x", "wa", "ba"), list("a"), ints("pads", 1, 1, 1, 1), ints("kernel_shape", 3, 3))
                .node("Relu", "a", "a_relu")
                .weight("wb", 2, 2, 1, 1).weight("bb", 2)
                .node("Conv", list("a_relu", "wb", "bb"), list("b"), ints("kernel_shape", 1, 1))
                .node("Relu", "b", "b_relu")
                .node("Concat", list("a_relu", "b_relu"), list("cat"), integer("axis", 1))
                .weight("wo", 1, 4, 3, 3).weight("bo", 1)
                .node("Conv", list("cat", "wo", "bo"), list("out"), ints("pads", 1, 1, 1, 1),
                        ints("kernel_shape", 3, 3))
                .output("out").bytes();
        branches = Model.fromOnnx(bytes, "branches", InputSpec.rgb01(12));
    }

    @AfterAll
    static void close() {
        planted.close();
        branches.close();
    }

    @Test
    void edgesCrossNoLabelUnitOrOtherHeatmapInASmallCircuit() {
        check(Circuit.of(planted, "out:0").depth(2).top(3).layers("pool", "relu1").thumbnails(Thumbnails.none())
                .build());
    }

    @Test
    void edgesCrossNothingWhenTheHeatmapsNeedTwoLanes() {
        CircuitResult c = Circuit.of(planted, "out:0").depth(3).top(6).thumbnails(Thumbnails.none()).build();
        CircuitDiagram.Layout lay = check(c);
        assertTrue(c.edges().size() > 20, c.edges().size() + " edges");
        // a crowded band stacks its heatmaps in two staggered lanes
        assertTrue(lay.edges.stream().map(e -> e.heatmap().getY()).distinct().count() > c.rows().size() - 1);
    }

    @Test
    void anEdgeThatSkipsARowGoesRoundAndCrossesNothing() {
        CircuitResult c = Circuit.of(branches, "out:0").depth(2).top(4).thumbnails(Thumbnails.none()).build();
        assertEquals(List.of("out", "cat", "a_relu", "x"), c.rows());
        CircuitDiagram.Layout lay = check(c);
        assertTrue(lay.edges.stream().anyMatch(e -> e.path().size() > 6), "some edge takes the corridor");
    }

    @Test
    void thumbnailsMakeLargerUnitsAndTheLayoutStillHolds() {
        Thumbnails grey = Thumbnails.of("grey", u -> new java.awt.image.BufferedImage(8, 8,
                java.awt.image.BufferedImage.TYPE_INT_RGB));
        check(Circuit.of(planted, "out:0").depth(2).top(4).thumbnails(grey).build());
    }

    @Test
    void packingKeepsOrderAndGapsAndStaysCentred() {
        double[] p = CircuitDiagram.pack(new double[] {0, 0, 0}, 10);
        assertArrayEquals(new double[] {-10, 0, 10}, p, 1e-9);
        double[] q = CircuitDiagram.pack(new double[] {0, 100, 101}, 10);
        assertArrayEquals(new double[] {0, 95.5, 105.5}, q, 1e-9);
    }

    @Test
    void balancedKernelsAreNeitherExcitatoryNorInhibitory() {
        assertEquals(Sign.BALANCED, Sign.of(new float[] {0.5f, -0.25f, -0.25f}));
        assertEquals(Sign.BALANCED, Sign.of(new float[] {0, 0, 0}));
        assertEquals(Sign.EXCITATORY, Sign.of(new float[] {0.5f, -0.25f}));
        assertEquals(Sign.INHIBITORY, Sign.of(new float[] {-0.5f, 0.25f}));
        assertEquals(0, Sign.BALANCED.value());
        assertEquals("balanced", Sign.BALANCED.word());
    }

    /** Fails with every crossing found; returns the layout for further checks. */
    private static CircuitDiagram.Layout check(CircuitResult c) {
        CircuitDiagram.Layout lay = new CircuitDiagram.Layout(c);
        assertEquals(c.edges().size(), lay.edges.size(), "every edge has a heatmap");
        List<String> problems = new ArrayList<>();
        for (CircuitDiagram.Edge e : lay.edges) {
            List<Point2D> path = e.path();
            for (int i = 0; i + 1 < path.size(); i++) {
                Line2D seg = new Line2D.Double(path.get(i), path.get(i + 1));
                if (seg.getP1().distance(seg.getP2()) < 1e-9) {
                    continue;
                }
                for (CircuitDiagram.Node n : lay.nodes) {
                    if (seg.intersects(grow(n.label(), HALF_STROKE))) {
                        problems.add(e.edge().from() + "→" + e.edge().to() + " crosses the label of " + n.unit());
                    }
                    boolean ownStart = i == 0 && n.unit().equals(e.edge().from());
                    if (!ownStart && seg.intersects(grow(n.box(), HALF_STROKE))) {
                        problems.add(e.edge().from() + "→" + e.edge().to() + " crosses unit " + n.unit());
                    }
                }
                for (CircuitDiagram.Edge o : lay.edges) {
                    if (o != e && seg.intersects(grow(o.heatmap(), 2 + HALF_STROKE))) {
                        problems.add(e.edge().from() + "→" + e.edge().to() + " crosses the heatmap of "
                                + o.edge().from() + "→" + o.edge().to());
                    }
                }
            }
        }
        List<Rectangle2D> boxes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (CircuitDiagram.Node n : lay.nodes) {
            boxes.add(n.box());
            names.add("unit " + n.unit());
            boxes.add(n.label());
            names.add("label " + n.unit());
        }
        for (CircuitDiagram.Edge e : lay.edges) {
            boxes.add(grow(e.heatmap(), 2));
            names.add("heatmap " + e.edge().from() + "→" + e.edge().to());
        }
        for (int i = 0; i < boxes.size(); i++) {
            Rectangle2D b = boxes.get(i);
            assertTrue(b.getMinX() >= 0 && b.getMaxX() <= lay.width && b.getMinY() >= 0 && b.getMaxY() <= lay.height,
                    names.get(i) + " lies outside the figure");
            for (int j = i + 1; j < boxes.size(); j++) {
                boolean ownLabel = names.get(i).startsWith("unit ") && j == i + 1;
                if (!ownLabel && b.intersects(boxes.get(j))) {
                    problems.add(names.get(i) + " overlaps " + names.get(j));
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " crossings, e.g. " + problems.subList(0,
                Math.min(5, problems.size())));
        return lay;
    }

    private static Rectangle2D grow(Rectangle2D r, double by) {
        return new Rectangle2D.Double(r.getX() - by, r.getY() - by, r.getWidth() + 2 * by, r.getHeight() + 2 * by);
    }
}
