package org.circuitscope.magics.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.MagicException;
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
        assertEquals(24, t.table().rowCount());
        assertTrue(t.chart().getXYPlot().getRenderer() instanceof XYBlockRenderer);
        assertTrue(context.variables.get("t") == t);
        TuningCurve lines = (TuningCurve) run("conv2:0 lines --orient 0:180:15 --reduce max");
        assertEquals(12, lines.table().rowCount());
        assertEquals(64, lines.stimuli().width());
        TuningCurve gratings = (TuningCurve) run("conv1:3 gratings?freq=4,8&orient=0:180:45");
        assertEquals(8, gratings.table().rowCount());
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
}
