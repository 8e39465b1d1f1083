package org.circuitscope.stimuli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.activations.SmallModels;
import org.circuitscope.data.Sample;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class StimuliTest {

    /** The image turned 90° counter-clockwise about its centre. */
    static BufferedImage rotate90(BufferedImage img) {
        int n = img.getWidth();
        BufferedImage out = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // a pixel at column j, row i moves to column i, row n-1-j
                out.setRGB(i, n - 1 - j, img.getRGB(j, i));
            }
        }
        return out;
    }

    static int maxDifference(BufferedImage a, BufferedImage b) {
        int worst = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    worst = Math.max(worst, Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff)));
                }
            }
        }
        return worst;
    }

    @Test
    void aCurveRotatedBy90DegreesIsTheCurveAtOrientationPlus90() {
        for (double theta : new double[] {0, 17, 45, 130, 300}) {
            StimulusSet at = Stimuli.curves().size(64, 64).orientations(theta).radii(14).thickness(3).spans(100);
            StimulusSet plus = Stimuli.curves().size(64, 64).orientations(theta + 90).radii(14).thickness(3)
                    .spans(100);
            BufferedImage rotated = rotate90(at.render(0));
            BufferedImage direct = plus.render(0);
            assertTrue(maxDifference(rotated, direct) <= 1, "θ=" + theta + ": differs by "
                    + maxDifference(rotated, direct) + " levels");
            assertTrue(maxDifference(at.render(0), direct) > 100, "the rotation must change the image");
        }
        // lines and angles too
        BufferedImage line = rotate90(Stimuli.lines().size(48, 48).orientations(20).render(0));
        assertTrue(maxDifference(line, Stimuli.lines().size(48, 48).orientations(110).render(0)) <= 1);
        BufferedImage angle = rotate90(Stimuli.angles().size(48, 48).orientations(10).openings(60).render(0));
        assertTrue(maxDifference(angle, Stimuli.angles().size(48, 48).orientations(100).openings(60)
                .render(0)) <= 1);
    }

    @Test
    void curvesFaceTheirOrientation() {
        // orientation 90: the arc's outer side faces up, so its ends hang below the centre
        BufferedImage img = Stimuli.curves().size(64, 64).orientations(90).radii(16).thickness(3).spans(160)
                .render(0);
        assertEquals(0, img.getRGB(32, 32) & 0xff, "the arc's middle is at the centre");
        int darkBelow = 0;
        int darkAbove = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean dark = (img.getRGB(x, y) & 0xff) < 128;
                if (dark && y > 36) {
                    darkBelow++;
                }
                if (dark && y < 28) {
                    darkAbove++;
                }
            }
        }
        assertTrue(darkBelow > 20 && darkAbove == 0, darkBelow + " below, " + darkAbove + " above");
    }

    @Test
    void parametersTableAndSourceAgree() {
        StimulusSet s = Stimuli.curves().size(32, 32).orientations(0, 360, 5).radii(5, 10, 20)
                .colors(Color.BLACK, Color.RED).backgrounds(StimulusSet.Background.PLAIN,
                        StimulusSet.Background.NOISE);
        assertEquals(72 * 3 * 2 * 2, s.count());
        assertEquals(s.count(), s.size().getAsInt());
        Table t = s.parameters();
        assertEquals(s.count(), t.rowCount());
        assertEquals(List.of("index", "image", "orientation", "radius", "thickness", "span", "color",
                "background"), t.columnNames());
        assertEquals(5.0, t.doubleColumn("orientation").get(12));
        assertEquals(355.0, t.doubleColumn("orientation").get(s.count() - 1));
        assertEquals("#ff0000", t.stringColumn("color").get(2));
        assertEquals("noise", t.stringColumn("background").get(1));
        assertEquals(List.of("orientation", "radius", "color", "background"), s.varying());
        Sample first = s.iterator().next();
        assertEquals("curve#0", first.id());
        assertEquals(32, first.image().getWidth());
        // reproducible, and the noise background is fixed by the seed
        assertEquals(0, maxDifference(s.render(1), s.copy().render(1)));
        assertNotEquals(0, maxDifference(s.render(1), s.copy().seed(99).render(1)));
        assertThrows(IllegalArgumentException.class, () -> Stimuli.lines().radii(3));
        assertEquals(5, Stimuli.gratings().frequencies(2, 4, 8, 16, 32).count());
    }

    @Test
    void everyKindRenders() {
        for (String kind : List.of("curves", "lines", "edges", "angles", "gratings", "boundaries")) {
            StimulusSet s = Stimuli.byName(kind).size(40, 40).orientations(0, 360, 90);
            assertEquals(4, s.count());
            BufferedImage a = s.render(0);
            BufferedImage b = s.render(1);
            assertTrue(maxDifference(a, b) > 50, kind + " should change with orientation");
        }
    }

    @Test
    void aPlantedLineDetectorPeaksAtItsOrientation() {
        for (double planted : new double[] {30, 115}) {
            try (Model model = SmallModels.lineDetector(planted, 48, 15)) {
                StimulusSet lines = Stimuli.lines().orientations(0, 180, 5).thickness(2);
                TuningCurve tc = TuningCurve.of(model, Unit.parse("relu:0"), lines);
                assertEquals(36, tc.table().rowCount());
                double peak = tc.peak("orientation");
                double off = Math.abs(((peak - planted) % 180 + 270) % 180 - 90);
                assertTrue(off <= 5, "planted " + planted + "°, peak at " + peak + "°");
                assertTrue(tc.peakResponse() > 0);
                JFreeChart chart = tc.chart();
                assertTrue(chart.getXYPlot().getDataset().getItemCount(0) == 36);
                assertTrue(tc.representations().get("image/png") instanceof BufferedImage);
                assertEquals(48, tc.stimuli().width());
            }
        }
    }

    @Test
    void twoParametersGiveAHeatmapAndStimuliFeedActivations() {
        try (Model model = SmallModels.lineDetector(60, 48, 15)) {
            StimulusSet curves = Stimuli.curves().orientations(0, 360, 30).radii(4, 8, 16);
            TuningCurve tc = TuningCurve.of(model, Unit.parse("relu:0"), curves);
            assertEquals(36, tc.table().rowCount());
            assertTrue(tc.chart().getXYPlot().getRenderer() instanceof XYBlockRenderer);
            assertTrue(tc.lineChart().getXYPlot().getDataset().getSeriesCount() == 3);
            // the same stimuli through activations, centre position: the same numbers
            ActivationResult acts = Activations.of(model).layers("relu").reduce(Reduce.CENTER)
                    .run(tc.stimuli());
            float[] col = acts.column("relu:0");
            for (int i = 0; i < col.length; i++) {
                assertEquals(tc.responses()[i], col[i], 1e-5f * Math.max(1f, Math.abs(col[i])));
            }
        }
    }
}
