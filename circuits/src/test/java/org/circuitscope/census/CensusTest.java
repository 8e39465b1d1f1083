package org.circuitscope.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.circuitscope.model.Model;
import org.circuitscope.stimuli.Stimuli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The census of the planted-families network finds exactly the planted detectors, at their orientations. */
class CensusTest {
    static Model model;
    static Census census;

    @BeforeAll
    static void run() {
        model = PlantedFamilies.create();
        census = Census.of(model, PlantedFamilies.LAYER, Stimuli.textures(64, PlantedFamilies.SIZE, 5));
        System.out.println(census);
        System.out.println(census.table().print(20));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** How many of the planted detectors 0–13 the census puts in a family (14 and 15 are checked on their own). */
    private static int planted(Family f) {
        return (int) census.verdicts().stream().filter(v -> v.unit() < 14 && v.family() == f).count();
    }

    private static void expect(int unit, Family family, double orientation) {
        Rules.Verdict v = census.verdict(unit);
        assertEquals(family, v.family(), "unit " + unit + ": " + v);
        if (!Double.isNaN(orientation)) {
            double period = family == Family.GABOR || family == Family.COMPLEX_GABOR
                    || family == Family.LINE && v.set().equals("lines") ? 180 : 360;
            assertTrue(Rules.angle(v.orientation(), orientation, period) <= 15, "unit " + unit + " prefers "
                    + v.orientation() + "°, planted at " + orientation + "°: " + v);
        }
        assertTrue(v.score() >= Rules.Z_MIN, v.toString());
    }

    @Test
    void curvesAtTheirOrientations() {
        expect(0, Family.CURVE, 0);
        expect(1, Family.CURVE, 135);
        expect(2, Family.CURVE, 270);
        assertEquals("light on dark", census.verdict(0).color());
        assertEquals("dark on light", census.verdict(1).color());
        assertEquals(3, planted(Family.CURVE));
    }

    @Test
    void linesAndEdges() {
        expect(3, Family.LINE, 30);
        expect(4, Family.LINE, 120);
        assertEquals(2, planted(Family.LINE));
    }

    @Test
    void gaborAndComplexGabor() {
        expect(5, Family.GABOR, 60);
        expect(6, Family.COMPLEX_GABOR, 150);
        assertEquals(1, planted(Family.GABOR));
        assertEquals(1, planted(Family.COMPLEX_GABOR));
    }

    @Test
    void highLowFrequency() {
        expect(7, Family.HIGH_LOW, 0);
        assertEquals(1, planted(Family.HIGH_LOW));
    }

    @Test
    void colourContrastAndCentreSurround() {
        expect(8, Family.COLOR_CONTRAST, 45);
        assertEquals("red|green", census.verdict(8).color());
        expect(9, Family.CENTER_SURROUND, Double.NaN);
        expect(10, Family.CENTER_SURROUND, Double.NaN);
        assertTrue(census.verdict(10).color().startsWith("blue centre"), census.verdict(10).color());
        assertEquals(1, planted(Family.COLOR_CONTRAST));
        assertEquals(2, planted(Family.CENTER_SURROUND));
    }

    @Test
    void boundary() {
        expect(11, Family.BOUNDARY, 300);
        assertEquals(1, planted(Family.BOUNDARY));
    }

    @Test
    void unselectiveAndSilentUnitsAreNone() {
        assertNull(census.verdict(12).family(), census.verdict(12).toString());
        assertNull(census.verdict(13).family(), census.verdict(13).toString());
        assertTrue(census.verdict(13).reason().startsWith("silent"), census.verdict(13).reason());
    }

    /**
     * A rigid arc template (what the old rule called a curve: it beats lines by far, the opposite arc and the
     * orthogonal orientations stay low) answers the arc only where it lies on the template: shifted by f/8 it is
     * gone and prefers another orientation, so it is not a curve detector; nor is a unit of random weights.
     */
    @Test
    void aRigidArcTemplateAndRandomWeightsAreNotCurves() {
        Rules.CurveEvidence rigid = Rules.curveEvidence(census.probe(), 14);
        System.out.println("rigid template: " + rigid + " " + java.util.Arrays.toString(rigid.curvature()));
        assertTrue(rigid.z() >= Rules.Z_MIN && rigid.overLines() >= Rules.PREFER && rigid.opposite() <= Rules.HALF,
                "the template passes the old curve tests: " + rigid);
        assertTrue(rigid.shifted() < Rules.HALF && rigid.turn() > Rules.SHIFT_TURN,
                "shifted by f/8 the template loses its arc and answers another orientation: " + rigid);
        assertNotEquals(Family.CURVE, census.verdict(14).family(), census.verdict(14).toString());
        assertNotEquals(Family.CURVE, census.verdict(15).family(), census.verdict(15).toString());
        for (int u = 0; u < 3; u++) {
            Rules.CurveEvidence e = Rules.curveEvidence(census.probe(), u);
            System.out.println("planted curve " + u + ": " + e + " " + java.util.Arrays.toString(e.curvature()));
            assertTrue(e.shifted() >= Rules.HALF && e.turn() <= Rules.SHIFT_TURN, "planted curve " + u
                    + " is position-tolerant: " + e);
            assertTrue(e.data() >= Rules.DATA_SHARE, "planted curve " + u + " against its top examples: " + e);
            assertTrue(e.peak() > 0 && e.peak() < e.curvature().length - 1, "curvature peak inside: " + e);
        }
    }

    @Test
    void tableAndFigure() {
        Table t = census.table();
        assertEquals(16, t.rowCount());
        assertEquals("curve", t.stringColumn("family").get(0));
        Table s = census.summary();
        assertEquals(Family.values().length + 1, s.rowCount());
        assertEquals((int) census.verdicts().stream().filter(v -> v.family() == null).count(),
                (int) s.intColumn("units").get(s.rowCount() - 1));
        assertTrue(s.intColumn("units").get(s.rowCount() - 1) >= 2);
        var fig = census.figure(6);
        assertTrue(fig.image().getHeight() > 100);
        assertTrue(fig.svg().contains("<svg"));
        assertTrue(census.toString().contains("3 curve"), census.toString());
    }
}
