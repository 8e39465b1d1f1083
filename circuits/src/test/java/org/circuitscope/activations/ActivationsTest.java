package org.circuitscope.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.ImageList;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.ort.Forward;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ActivationsTest {
    /**
     * Exact: the table holds the very floats of the forward pass on the same batches (on DJL, as Model.run; the
     * ONNX Runtime executor is compared with it in OrtExecutorTest).
     */
    static final float TOL = 0f;
    static Model model;
    static List<BufferedImage> images;
    static final String[] LAYERS = {"r1", "c2", "logits"};

    @BeforeAll
    static void setUp() {
        model = SmallModels.convNet();
        images = SmallModels.randomImages(10, 32, 3);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    /** The engine's forward pass on the same batches of 4 the run uses. */
    private static Tensor[][] expected() {
        Tensor[][] out = new Tensor[LAYERS.length][3];
        for (int b = 0; b < 3; b++) {
            Map<String, Tensor> acts = model.run(images.subList(b * 4, Math.min(10, b * 4 + 4)), LAYERS);
            for (int l = 0; l < LAYERS.length; l++) {
                out[l][b] = acts.get(LAYERS[l]);
            }
        }
        return out;
    }

    private static float independentReduce(Reduce r, float[] d, int off, int h, int w) {
        switch (r) {
            case MAX: {
                float m = -Float.MAX_VALUE;
                for (int i = 0; i < h * w; i++) {
                    m = Math.max(m, d[off + i]);
                }
                return m;
            }
            case MEAN: {
                double s = 0;
                for (int i = 0; i < h * w; i++) {
                    s += d[off + i];
                }
                return (float) (s / (h * w));
            }
            case CENTER:
                return d[off + (h / 2) * w + (w / 2)];
            default:
                throw new AssertionError();
        }
    }

    @Test
    void reducedValuesEqualTheForwardPassExactly() {
        Tensor[][] exp = expected();
        for (Reduce r : List.of(Reduce.MAX, Reduce.MEAN, Reduce.CENTER)) {
            ActivationResult res = Activations.of(model).layers(LAYERS).reduce(r).batchSize(4).forward(Forward.DJL)
                    .run(ImageList.of(images));
            assertFalse(res.partial());
            Table t = res.table();
            int perImage = 8 + 4 + 3;
            assertEquals(10 * perImage, t.rowCount());
            assertEquals(List.of("image", "label", "layer", "channel", "value"), t.columnNames());
            int row = 0;
            for (int i = 0; i < 10; i++) {
                for (int l = 0; l < LAYERS.length; l++) {
                    Tensor a = exp[l][i / 4];
                    int inBatch = i % 4;
                    long[] s = a.shape();
                    int c = (int) s[1];
                    int h = s.length == 4 ? (int) s[2] : 1;
                    int w = s.length == 4 ? (int) s[3] : 1;
                    for (int ch = 0; ch < c; ch++, row++) {
                        int off = (inBatch * c + ch) * h * w;
                        float want = h * w == 1 ? a.data()[off] : independentReduce(r, a.data(), off, h, w);
                        assertEquals(want, t.floatColumn("value").getFloat(row), TOL, r + " row " + row);
                        assertEquals(String.valueOf(i), t.stringColumn("image").get(row));
                        assertEquals(LAYERS[l], t.stringColumn("layer").get(row));
                        assertEquals(ch, t.intColumn("channel").getInt(row));
                        if (ch == 2) {
                            assertEquals(want, res.wide().floatColumn(LAYERS[l] + ":2").getFloat(i), TOL);
                        }
                    }
                }
            }
            Table wide = res.wide();
            assertEquals(10, wide.rowCount());
            assertEquals(2 + perImage, wide.columnCount());
            assertEquals("r1:0", wide.columnNames().get(2));
            assertEquals("logits:2", wide.columnNames().get(wide.columnCount() - 1));
        }
    }

    @Test
    void unreducedValuesEqualTheForwardPassExactlyWithPositions() {
        Tensor[][] exp = expected();
        ActivationResult res = Activations.of(model).layers("c2", "logits").reduce(Reduce.NONE).batchSize(4)
                .forward(Forward.DJL)
                .run(ImageList.of(images));
        Table t = res.table();
        assertEquals(List.of("image", "label", "layer", "channel", "y", "x", "value"), t.columnNames());
        int per = 4 * 16 * 16 + 3;
        assertEquals(10 * per, t.rowCount());
        for (int i = 0; i < 10; i++) {
            float[] c2 = exp[1][i / 4].data();
            int base = (i % 4) * 4 * 256;
            for (int k = 0; k < 4 * 256; k++) {
                int row = i * per + k;
                assertEquals(c2[base + k], t.floatColumn("value").getFloat(row), TOL);
                assertEquals(k / 256, t.intColumn("channel").getInt(row));
                assertEquals((k % 256) / 16, t.intColumn("y").getInt(row));
                assertEquals(k % 16, t.intColumn("x").getInt(row));
            }
            float[] logits = exp[2][i / 4].data();
            for (int k = 0; k < 3; k++) {
                assertEquals(logits[(i % 4) * 3 + k], t.floatColumn("value").getFloat(i * per + 1024 + k), TOL);
            }
        }
        assertTrue(res.wide().columnNames().contains("c2:3@15,15"));
        assertEquals(exp[1][0].data()[4 * 256 + 3 * 256 + 5 * 16 + 7], res.column("c2:3@5,7")[1], TOL);
    }

    @Test
    void interruptGivesAPartialTableOfTheRowsSoFar() {
        Progress stopAfterTwo = new Progress() {
            int updates;

            @Override
            public void update(long done, long total, String status) {
                updates++;
                assertEquals(10, total);
            }

            @Override
            public boolean cancelled() {
                return updates >= 2;
            }
        };
        ActivationResult res = Activations.of(model).layers("r1").reduce(Reduce.MAX).batchSize(3)
                .run(ImageList.of(images), stopAfterTwo);
        assertTrue(res.partial());
        assertEquals(6, res.images());
        assertEquals(6 * 8, res.table().rowCount());
        assertTrue(res.summary().contains("PARTIAL"), res.summary());
        assertTrue(((String) res.representations().get("text/html")).contains("partial"));
    }

    @Test
    void limitsAndValueCapStopEarlyAndSaySo() {
        ActivationResult limited = Activations.of(model).layers("r1").limit(5).run(ImageList.of(images));
        assertEquals(5, limited.images());
        assertFalse(limited.partial());
        ActivationResult capped = Activations.of(model).layers("r1").maxValues(8 * 7).batchSize(4)
                .run(ImageList.of(images));
        assertEquals(7, capped.images());
        assertTrue(capped.partial());
        assertFalse(capped.problems().isEmpty());
    }

    @Test
    void unknownLayerNamesTheClosest() {
        ModelException e = assertThrows(ModelException.class,
                () -> Activations.of(model).layers("r3").run(ImageList.of(images)));
        assertTrue(e.getMessage().contains("r1") || e.getMessage().contains("r2"), e.getMessage());
    }
}
