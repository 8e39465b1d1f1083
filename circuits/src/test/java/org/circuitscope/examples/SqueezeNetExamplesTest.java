package org.circuitscope.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageList;
import org.circuitscope.image.Images;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Dataset examples on SqueezeNet 1.0 over the 1000 ImageNet samples (read once for the class, at 227×227 after the
 * usual resize to 256 and centre crop).
 */
class SqueezeNetExamplesTest {
    static Model model;
    static ImageList samples;
    static ActivationResult maxima;
    static Map<String, ExamplesResult> examples = new LinkedHashMap<>();
    static final int BATCH = 16;
    static final List<String> UNITS = List.of("fire2/concat:20", "fire2/concat:100", "conv1:5");

    @BeforeAll
    static void setUp() {
        model = Models.loadFile(SharedFixtures.squeezenet(), null);
        ImageFolder folder = ImageFolder.of(SharedFixtures.imagenetSamples()).labelsFromFileName("^(n\\d+)_")
                .transform(img -> Images.resizeAndCenterCrop(img, 256, 227));
        long t0 = System.nanoTime();
        samples = ImageList.copyOf(folder);
        long t1 = System.nanoTime();
        assertEquals(List.of(), folder.problems());
        assertEquals(1000, samples.size().getAsInt());
        assertEquals(1000, samples.labels().size());
        maxima = Activations.of(model).layers("conv1", "fire2/concat").reduce(Reduce.MAX).batchSize(BATCH)
                .run(samples);
        long t2 = System.nanoTime();
        List<ExamplesResult> all = DatasetExamples.of(model, UNITS.stream().map(Unit::parse).toList()).k(9)
                .batchSize(BATCH).runAll(samples, Progress.NONE);
        for (int i = 0; i < UNITS.size(); i++) {
            examples.put(UNITS.get(i), all.get(i));
        }
        System.out.printf("SqueezeNet examples: read 1000 images %.1f s, activations %.1f s, examples of %d units "
                + "%.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, UNITS.size(), (System.nanoTime() - t2) / 1e9);
    }

    @AfterAll
    static void tearDown() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void receptiveFieldsMatchTheHandArithmetic() {
        assertArrayEquals(new long[] {7, 7}, model.layers().get("conv1").attribute("kernel_shape", null));
        assertArrayEquals(new long[] {2, 2}, model.layers().get("conv1").attribute("strides", null));
        // conv1: 7×7, stride 2, no padding → position x sees columns 2x .. 2x+6
        ReceptiveField conv1 = ReceptiveField.of(model, "conv1");
        assertEquals(List.of(7, 7, 2, 2, 0, 0), List.of(conv1.sizeY(), conv1.sizeX(), conv1.strideY(),
                conv1.strideX(), conv1.startY(), conv1.startX()));
        assertEquals(new Rectangle(2 * 30, 2 * 10, 7, 7), conv1.box(10, 30, 227, 227));
        assertEquals(new Rectangle(220, 220, 7, 7), conv1.box(110, 110, 227, 227));
        // pool1: 3×3 stride 2 on conv1: 7 + 2·2 = 11, jump 4
        ReceptiveField pool1 = ReceptiveField.of(model, "pool1");
        assertEquals(List.of(11, 4, 0), List.of(pool1.sizeX(), pool1.strideX(), pool1.startX()));
        // fire2: squeeze 1×1; expand 1×1 (11, start 0) and expand 3×3 pad 1 (11 + 2·4 = 19, start 0 − 1·4 = −4);
        // the concat is their union: 19 wide from −4
        ReceptiveField fire2 = ReceptiveField.of(model, "fire2/concat");
        assertEquals(List.of(19, 19, 4, 4, -4, -4), List.of(fire2.sizeY(), fire2.sizeX(), fire2.strideY(),
                fire2.strideX(), fire2.startY(), fire2.startX()));
        assertEquals(new Rectangle(0, 0, 15, 15), fire2.box(0, 0, 227, 227));
        assertEquals(new Rectangle(-4 + 4 * 20, -4 + 4 * 7, 19, 19), fire2.box(7, 20, 227, 227));
        assertEquals(new Rectangle(212, 212, 15, 15), fire2.box(54, 54, 227, 227));
        assertFalse(fire2.approximate());
        assertTrue(ReceptiveField.of(model, "logits").whole());
    }

    /** Float precision relative to the value: a batch of one and a batch of 16 may take different native kernels. */
    private static float tol(float v) {
        return 1e-5f * Math.max(1f, Math.abs(v));
    }

    private static void checkTopK(String unit, int k) {
        float[] column = maxima.column(unit);
        Integer[] order = new Integer[column.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(column[b], column[a]));
        ExamplesResult ex = examples.get(unit);
        assertEquals(1000, ex.imagesSeen());
        assertEquals(k, ex.examples().size());
        ReceptiveField rf = ReceptiveField.of(model, Unit.parse(unit).layer());
        for (int r = 0; r < k; r++) {
            Example e = ex.examples().get(r);
            // two passes over the same images may differ in the last bit (oneDNN picks kernels per run), so
            // values agree to float precision and a swapped near-tie between ranks is allowed
            float tol = 1e-5f * Math.max(1f, Math.abs(column[order[r]]));
            assertEquals(column[order[r]], e.value(), tol, unit + " rank " + (r + 1));
            int at = maxima.ids().indexOf(e.id());
            assertTrue(at >= 0, e.id());
            assertEquals(column[order[r]], column[at], tol, unit + " rank " + (r + 1) + " is " + e.id());
            Rectangle b = e.box();
            assertTrue(b.x >= 0 && b.y >= 0 && b.x + b.width <= 227 && b.y + b.height <= 227, b.toString());
            Rectangle want = new Rectangle(rf.startX() + rf.strideX() * e.x(), rf.startY() + rf.strideY() * e.y(),
                    rf.sizeX(), rf.sizeY()).intersection(new Rectangle(0, 0, 227, 227));
            assertEquals(want, b);
            assertEquals(b.width, e.crop().getWidth());
        }
        // the value is the channel's activation at the example's position, its maximum over the map
        Example top = ex.examples().get(0);
        Unit.Channel u = (Unit.Channel) Unit.parse(unit);
        Tensor t = model.run(List.of(top.image()), u.layer()).get(u.layer());
        assertEquals(t.get(0, u.channel(), top.y(), top.x()), top.value(), tol(top.value()));
        Table table = ex.table();
        assertEquals(k, table.rowCount());
        BufferedImage grid = ex.grid();
        assertTrue(grid.getWidth() > 3 * 100);
        assertTrue(((String) ex.representations().get("text/html")).contains("base64,"));
    }

    @Test
    void topNineOfAFire2UnitAreTheNineHighestOfItsColumn() {
        checkTopK("fire2/concat:20", 9);
        checkTopK("fire2/concat:100", 9);
    }

    @Test
    void topNineOfAConv1UnitAreTheNineHighestOfItsColumn() {
        checkTopK("conv1:5", 9);
    }

    @Test
    void negativeExamplesOfAPostReluUnitAreReadBeforeTheRelu() {
        ExamplesResult neg = DatasetExamples.of(model, "fire2/concat:80").negative(true).k(5).limit(200)
                .batchSize(BATCH).run(samples);
        assertEquals("fire2/conv3x3_2:16", neg.unitRead().toString());
        assertEquals("Conv", model.layers().get("fire2/conv3x3_2").op());
        float previous = Float.NEGATIVE_INFINITY;
        for (Example e : neg.examples()) {
            assertTrue(e.value() < 0, "pre-ReLU minimum should be negative: " + e.value());
            assertTrue(e.value() >= previous);
            previous = e.value();
        }
        Example first = neg.examples().get(0);
        Tensor t = model.run(List.of(first.image()), "fire2/conv3x3_2").get("fire2/conv3x3_2");
        float min = Float.POSITIVE_INFINITY;
        for (int y = 0; y < 55; y++) {
            for (int x = 0; x < 55; x++) {
                min = Math.min(min, t.get(0, 16, y, x));
            }
        }
        assertEquals(min, first.value(), tol(min));
        assertEquals(t.get(0, 16, first.y(), first.x()), first.value(), tol(first.value()));
        assertEquals("fire2/conv1x1_2:20", DatasetExamples.beforeRelu(model.layers(),
                Unit.parse("fire2/concat:20")).toString());
        assertEquals("conv1:3", DatasetExamples.beforeRelu(model.layers(), Unit.parse("conv1_relu:3")).toString());
    }
}
