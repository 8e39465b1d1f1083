package org.circuitscope.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.circuitscope.data.ImageList;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.weights.PlantedModels;
import org.circuitscope.weights.Thumbnails;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Circuits on the planted network: structure, ranking, attribution, the pruning check and the diagram. */
class CircuitTest {
    private static Model model;
    private static ImageSource data;

    @BeforeAll
    static void load() {
        model = PlantedModels.fire();
        Random r = new Random(1);
        List<BufferedImage> images = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            images.add(img);
        }
        data = ImageList.of(images);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void weightsCircuitHasTheStrongestInputsAndTheirs() {
        CircuitResult c = Circuit.of(model, "out:0").depth(2).top(3).layers("pool", "relu1").build();
        List<CircuitEdge> first = c.inputs(Unit.channel("out", 0));
        assertEquals(List.of("pool:1", "pool:4", "pool:2"), first.stream().map(e -> e.from().toString()).toList());
        assertEquals(List.of(-1, 1, 1), first.stream().map(CircuitEdge::sign).toList());
        assertEquals(3 + 3 * 3, c.edges().size());
        Table t = c.table();
        assertEquals(12, t.rowCount());
        assertEquals(List.of("from", "to", "weight_norm", "sign", "attribution"), t.columnNames().subList(0, 5));
        assertTrue(t.doubleColumn("attribution").isMissing(0));
        assertEquals(List.of("out", "pool", "relu1"), c.rows());
        assertNull(c.pruning());
        assertTrue(c.edges().stream().skip(3).allMatch(CircuitEdge::expanded));
        // by default a convolution reading a pool takes its inputs from before the pool (expanded weights)
        CircuitResult d = Circuit.of(model, "out:0").depth(2).top(3).build();
        assertEquals(List.of("out", "cat", "squeeze_relu"), d.rows());
        // cat:2 is expand1 channel 2, whose weight from squeeze_relu:0 is exactly 0 (PlantedModels.e1): not an edge
        assertEquals(3 + 2 + 2 + 1, d.edges().size());
        assertTrue(d.inputs(Unit.channel("cat", 2)).stream().noneMatch(e -> e.from().channel() == 0),
                d.inputs(Unit.channel("cat", 2)).toString());
        assertTrue(d.edges().get(0).expanded() && !d.edges().get(3).expanded());
        // not through pools: the max pool's units have no kernels of their own, so they stay leaves
        assertEquals(3, Circuit.of(model, "out:0").depth(2).top(3).throughPools(false).build().edges().size());
    }

    @Test
    void theWholeNetworkKeepsEverythingAndASingleEdgeKeepsLess() {
        CircuitResult all = Circuit.of(model, "cat:4").depth(2).top(64).data(data, 10).build();
        assertEquals(1.0, all.pruning().kept(), 1e-4, all.pruning().toString());
        assertEquals(all.pruning().actualMean(), all.pruning().prunedMean(), 1e-4);
        CircuitResult one = Circuit.of(model, "cat:4").depth(2).top(1).data(data, 10).build();
        double kept = one.pruning().kept();
        assertTrue(kept >= 0 && kept < 1, one.pruning().toString());
        assertEquals(10, one.pruning().images());
    }

    @Test
    void attributionsAddUpToTheUnitMinusItsBias() {
        CircuitResult c = Circuit.of(model, "out:0").depth(1).top(6).by(Circuit.Ranking.ATTRIBUTION)
                .data(data, 10).build();
        double sum = c.edges().stream().mapToDouble(CircuitEdge::attribution).sum();
        List<BufferedImage> images = new ArrayList<>();
        data.forEach(s -> images.add(s.image()));
        Tensor out = model.run(images, "out").get("out");
        double mean = 0;
        long per = out.dim(2) * out.dim(3);
        for (int n = 0; n < out.dim(0); n++) {
            for (int k = 0; k < per; k++) {
                mean += out.data()[(int) (n * out.dim(1) * per + k)];
            }
        }
        mean /= out.dim(0) * per;
        float bias = model.parameters("out").get("b2").data()[0];
        assertEquals(mean - bias, sum, 1e-3);
        List<Double> mags = c.edges().stream().map(e -> Math.abs(e.attribution())).toList();
        for (int i = 1; i < mags.size(); i++) {
            assertTrue(mags.get(i - 1) >= mags.get(i), "ranked by |attribution|: " + mags);
        }
    }

    @Test
    void diagramRendersWithThumbnailsAndHover() {
        Thumbnails dots = Thumbnails.of("test", u -> {
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, 0xff0000);
            return img;
        });
        CircuitResult c = Circuit.of(model, "out:1").depth(2).top(2).layers("pool", "relu1").thumbnails(dots)
                .data(data, 4).build();
        String svg = c.svg();
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
        assertTrue(svg.contains("<title>") && svg.contains("cs-hm") && svg.contains("data:image/png;base64"));
        assertTrue(svg.contains("pruning check: the circuit keeps"));
        BufferedImage png = c.image();
        assertTrue(png.getWidth() >= 760 && png.getHeight() > 300);
        Map<String, Object> r = c.representations();
        assertTrue(r.containsKey("image/svg+xml") && r.containsKey("image/png"));
        assertTrue(c.toString().contains("pruning check"));
    }

    @Test
    void badInputIsExplained() {
        ModelException e = assertThrows(ModelException.class,
                () -> Circuit.of(model, "out:0").by(Circuit.Ranking.ATTRIBUTION).build());
        assertTrue(e.getMessage().contains("needs a data source"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Circuit.of(model, "pool:0").build());
        assertTrue(e.getMessage().contains("not a convolution"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Circuit.of(model, "cat:4").layers("e1_relu").build());
        assertTrue(e.getMessage().contains("no path") && e.getMessage().contains("separate branches"),
                e.getMessage());
        e = assertThrows(ModelException.class, () -> Circuit.of(model, "out:7").build());
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
    }
}
