package org.circuitscope.stimuli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                "background color", "background", "polarity"), t.columnNames());
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
            // the same stimuli through activations, centre position: the same numbers (tuning curves run on the
            // model's own graph, Model.run, so the activations do too here: ONNX Runtime's kernels round a 15x15
            // sum of large terms differently, 1.5e-5 of the value)
            TuningCurve centre = TuningCurve.of(model, Unit.parse("relu:0"), curves, Reduce.CENTER,
                    org.circuitscope.progress.Progress.NONE);
            ActivationResult acts = Activations.of(model).layers("relu").reduce(Reduce.CENTER)
                    .forward(org.circuitscope.model.ort.Forward.DJL).run(centre.stimuli());
            float[] col = acts.column("relu:0");
            for (int i = 0; i < col.length; i++) {
                assertEquals(centre.responses()[i], col[i], 1e-5f * Math.max(1f, Math.abs(col[i])));
                // the best position of the field is at least the centre position
                assertTrue(tc.responses()[i] >= col[i] - 1e-5f, i + ": " + tc.responses()[i] + " < " + col[i]);
            }
        }
    }

    @Test
    void polarityExchangesShapeAndBackgroundColours() {
        StimulusSet dark = Stimuli.lines().size(40, 40).orientations(30).thickness(3);
        StimulusSet light = dark.copy().polarities(StimulusSet.Polarity.LIGHT_ON_DARK);
        BufferedImage a = dark.render(0);
        BufferedImage b = light.render(0);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(255 - (a.getRGB(x, y) & 0xff), b.getRGB(x, y) & 0xff, 1, "pixel " + x + "," + y);
            }
        }
        assertEquals(0xffffff, a.getRGB(0, 0) & 0xffffff, "dark on light: white ground");
        assertEquals(0, b.getRGB(0, 0) & 0xffffff, "light on dark: black ground");
        StimulusSet both = Stimuli.curves().size(32, 32).orientations(0, 360, 90).colors(Color.RED)
                .backgroundColors(Color.BLACK, Color.GRAY).bothPolarities();
        assertEquals(4 * 2 * 2, both.count());
        assertEquals(List.of("orientation", "background color", "polarity"), both.varying());
        Table t = both.parameters();
        // the colours as drawn: image 1 is red on black exchanged, black on red
        assertEquals("#ff0000", t.stringColumn("color").get(0));
        assertEquals("#000000", t.stringColumn("background color").get(0));
        assertEquals("dark on light", t.stringColumn("polarity").get(0));
        assertEquals("#000000", t.stringColumn("color").get(1));
        assertEquals("#ff0000", t.stringColumn("background color").get(1));
        assertEquals("light on dark", t.stringColumn("polarity").get(1));
        assertEquals(StimulusSet.Polarity.LIGHT_ON_DARK, both.polarity(1));
        assertTrue(both.sample(1).label().contains("light on dark"), both.sample(1).label());
        assertEquals(StimulusSet.Polarity.LIGHT_ON_DARK, StimulusSet.Polarity.parse("light"));
        assertThrows(IllegalArgumentException.class, () -> StimulusSet.Polarity.parse("grey"));
    }

    @Test
    void aBrightLineDetectorIsFoundOnlyWithLightOnDarkAndTheCurveSaysWhichPolarityWon() {
        double planted = 40;
        try (Model model = SmallModels.lineDetector(planted, 48, 15, true)) {
            StimulusSet lines = Stimuli.lines().orientations(0, 180, 5).thickness(2);
            TuningCurve dark = TuningCurve.of(model, Unit.parse("relu:0"), lines);
            TuningCurve light = TuningCurve.of(model, Unit.parse("relu:0"),
                    lines.copy().polarities(StimulusSet.Polarity.LIGHT_ON_DARK));
            TuningCurve both = TuningCurve.of(model, Unit.parse("relu:0"), lines.copy().bothPolarities());
            System.out.printf("bright line detector at %.0f°: dark on light peaks at %.0f° (%.3f), light on dark at "
                    + "%.0f° (%.3f)%n", planted, dark.peak("orientation"), dark.peakResponse(),
                    light.peak("orientation"), light.peakResponse());
            assertTrue(off(light.peak("orientation"), planted) <= 5, "light on dark peaks at "
                    + light.peak("orientation"));
            assertTrue(dark.peakResponse() < 0.5 * light.peakResponse(), "dark on light answers less");
            assertEquals(72, both.table().rowCount());
            assertEquals(StimulusSet.Polarity.LIGHT_ON_DARK, both.winningPolarity());
            assertEquals(light.peakResponse(), both.peakResponse(), 1e-6f);
            assertTrue(off(both.peak("orientation"), planted) <= 5);
            assertEquals(2, both.peakByPolarity().size());
            assertTrue(both.toString().contains("light on dark won"), both.toString());
            // one series per polarity
            assertEquals(2, both.lineChart().getXYPlot().getDataset().getSeriesCount());
        }
    }

    private static double off(double a, double b) {
        return Math.abs(((a - b) % 180 + 270) % 180 - 90);
    }

    @Test
    void theBestPositionOfTheFieldIsReadWhenTheStimulusMissesTheCentrePosition() {
        try (Model model = SmallModels.lineDetector(0, 48, 15, true)) {
            // the stimuli drawn 3 pixels below the centre of the centre position's field (24.5, 24.5)
            StimulusSet lines = Stimuli.lines().orientations(0, 180, 15).thickness(2).lengths(10)
                    .polarities(StimulusSet.Polarity.LIGHT_ON_DARK).centre(24.5, 27.5);
            TuningCurve field = TuningCurve.of(model, Unit.parse("relu:0"), lines);
            TuningCurve centre = TuningCurve.of(model, Unit.parse("relu:0"), lines, Reduce.CENTER,
                    org.circuitscope.progress.Progress.NONE);
            int p = field.peakIndex();
            assertEquals(0, field.peak("orientation"));
            assertEquals(27, field.table().intColumn("y").get(p), "read where the stimulus is");
            assertTrue(field.peakResponse() > centre.peakResponse() * 1.2, field.peakResponse() + " vs centre "
                    + centre.peakResponse());
            assertTrue(field.reading().contains("best of the"), field.reading());
        }
    }

    @Test
    void aFlatCurveSaysSoInsteadOfPlottingNoise() {
        try (Model model = SmallModels.lineDetector(30, 48, 15)) {
            // no contrast at all: the zero-sum detector answers 0 everywhere
            StimulusSet blank = Stimuli.lines().orientations(0, 180, 10).colors(Color.WHITE);
            TuningCurve tc = TuningCurve.of(model, Unit.parse("relu:0"), blank);
            assertTrue(tc.flat());
            assertTrue(tc.toString().contains("flat: every response is 0") && tc.toString().contains("[flat]"),
                    tc.toString());
            org.jfree.data.Range range = tc.lineChart().getXYPlot().getRangeAxis().getRange();
            assertTrue(range.getLength() >= 1, "a fixed axis, not rounding noise: " + range);
            assertTrue(((String) tc.representations().get("text/html")).contains("does not respond"));
            TuningCurve lines = TuningCurve.of(model, Unit.parse("relu:0"), Stimuli.lines().orientations(0, 180,
                    10));
            assertFalse(lines.flat());
        }
    }
}
