package org.circuitscope.magics.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.circuitscope.magics.CurveDetector;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Model;
import org.circuitscope.stimuli.StimulusSet;
import org.circuitscope.stimuli.TuningCurve;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.junit.jupiter.api.Test;

/** %tuning on the embedded model. */
class TuningMagicTest {
    private final TuningMagic magic = new TuningMagic();
    private final InMemoryContext context = new InMemoryContext();

    private Object run(String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void curvesByOrientationAndRadius() throws Exception {
        TuningCurve t = assertInstanceOf(TuningCurve.class,
                run("conv3:2 curves --orient 0:360:30 --radius 4,8 --thickness 2 --as t"));
        assertEquals(24 * 2, t.table().rowCount(), "both polarities");
        assertTrue(t.chart().getXYPlot().getRenderer() instanceof XYBlockRenderer);
        assertTrue(context.variables.get("t") == t);
        TuningCurve lines = (TuningCurve) run("conv2:0 lines --orient 0:180:15 --reduce max");
        assertEquals(12 * 2, lines.table().rowCount());
        assertEquals(64, lines.stimuli().width());
        TuningCurve gratings = (TuningCurve) run("conv1:3 gratings?freq=4,8&orient=0:180:45");
        assertEquals(8 * 2, gratings.table().rowCount());
        TuningCurve one = (TuningCurve) run("conv1:3 gratings?freq=4,8&orient=0:180:45&polarity=light");
        assertEquals(8, one.table().rowCount());
    }

    @Test
    void badInputGivesSpecificMessages() {
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:2 spirals")).getMessage()
                .contains("unknown stimulus kind"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:2 lines --radius 3")).getMessage()
                .contains("no parameter 'radius'"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:2 curves --orient 0:360")).getMessage()
                .contains("not a list of numbers"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:2 curves --size 3")).getMessage()
                .contains("unknown option --size"));
    }

    @Test
    void aBrightCurveDetectorPeaksAtItsTrueOrientationAndTheWinningPolarityIsNamed() throws Exception {
        double truth = 130;
        try (Model model = CurveDetector.create(truth, 8, 120)) {
            LoadedModels.of(context.session()).add("curve", model, true);
            String stimuli = "relu:0 curves --orient 0:360:10 --radius 8 --thickness 2 --span 120";
            TuningCurve both = (TuningCurve) run(stimuli);
            TuningCurve light = (TuningCurve) run(stimuli + " --polarity light");
            TuningCurve dark = (TuningCurve) run(stimuli + " --polarity dark");
            TuningCurve white = (TuningCurve) run(stimuli + " --color white --background black");
            System.out.printf("curve detector at %.0f°: both %s; dark on light alone peaks at %.0f° (%.3f)%n", truth,
                    both, dark.peak("orientation"), dark.peakResponse());
            assertEquals(72, both.table().rowCount(), "both polarities unless told");
            assertEquals(truth, both.peak("orientation"), 1e-9);
            assertEquals(StimulusSet.Polarity.LIGHT_ON_DARK, both.winningPolarity());
            assertTrue(both.toString().contains("light on dark won"), both.toString());
            assertEquals(light.peakResponse(), both.peakResponse(), 1e-6f);
            assertEquals(36, light.table().rowCount());
            assertEquals(truth, light.peak("orientation"), 1e-9);
            assertEquals(light.peakResponse(), white.peakResponse(), 1e-6f, "white on black is light on dark");
            assertEquals(36, white.table().rowCount(), "colours given: no second polarity");
            // the old default, dark on light only, misses the curve
            assertTrue(dark.peakResponse() < 0.25 * light.peakResponse(), dark + " vs " + light);
        }
    }

    @Test
    void backgroundTakesColoursAndKinds() throws Exception {
        TuningCurve t = (TuningCurve) run("conv2:0 lines --orient 0:180:90 --background black,noise");
        assertEquals("#000000", t.table().stringColumn("background color").get(0));
        assertEquals("noise", t.table().stringColumn("background").get(0));
        assertEquals(2, t.table().rowCount(), "background colour given: one polarity");
        TuningCurve n = (TuningCurve) run("conv2:0 lines --orient 0:180:90 --background noise");
        assertEquals(2 * 2, n.table().rowCount(), "noise alone fixes no colour: both polarities");
        assertTrue(assertThrows(MagicException.class, () -> run("conv2:0 lines --background mauve")).getMessage()
                .contains("background 'mauve' is not a colour"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv2:0 lines --polarity grey")).getMessage()
                .contains("polarity 'grey'"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv2:0 lines --reduce none")).getMessage()
                .contains("one number per stimulus"));
    }
}
