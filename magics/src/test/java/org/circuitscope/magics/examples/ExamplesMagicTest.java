package org.circuitscope.magics.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.magics.CurveDetector;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Model;
import org.junit.jupiter.api.Test;

/** %examples on the embedded model over its world. */
class ExamplesMagicTest {
    private final ExamplesMagic magic = new ExamplesMagic();
    private final InMemoryContext context = new InMemoryContext();

    private Object run(String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void topAndNegativeExamplesWithBoxes() throws Exception {
        ExamplesResult top = assertInstanceOf(ExamplesResult.class, run("conv3:5 world:80 --k 4 --full --as ex"));
        assertEquals(4, top.examples().size());
        assertEquals(80, top.imagesSeen());
        assertTrue(context.variables.get("ex") == top);
        for (int i = 1; i < 4; i++) {
            assertTrue(top.examples().get(i - 1).value() >= top.examples().get(i).value());
        }
        Example e = top.examples().get(0);
        assertTrue(e.box().x >= 0 && e.box().x + e.box().width <= 64);
        assertTrue(top.representations().get("image/png") instanceof BufferedImage);
        ExamplesResult neg = (ExamplesResult) run("conv3:5 world:40 --k 3 --negative");
        assertEquals("conv3_pre_relu:5", neg.unitRead().toString());
        assertTrue(neg.examples().get(0).value() <= neg.examples().get(2).value());
    }

    @Test
    void badInputGivesSpecificMessages() {
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:5")).getMessage().contains("unit"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv3 world:5")).getMessage()
                .contains("not a unit"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:500 world:5")).getMessage()
                .contains("48 channels"));
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:1 world:5 --crop --full")).getMessage()
                .contains("not both"));
    }

    @Test
    void stimuliAreShownBothWaysRoundUnlessTheirPolarityIsGiven() throws Exception {
        try (Model model = CurveDetector.create(120, 8, 120)) {
            LoadedModels.of(context.session()).add("curve", model, true);
            String curves = "curves?orient=0:360:30&radius=8&thickness=2&span=120";
            ExamplesResult both = (ExamplesResult) run("relu:0 " + curves + " --k 3");
            Example best = both.examples().get(0);
            assertEquals(24, both.imagesSeen(), "12 orientations, both polarities");
            assertTrue(best.label().contains("orientation=120") && best.label().contains("light on dark"),
                    best.label());
            // the detector's field is centred on the stimulus: the best position is the image centre, not a corner
            assertTrue(Math.abs(best.y() - 32) <= 1 && Math.abs(best.x() - 32) <= 1, best.y() + "," + best.x());
            ExamplesResult dark = (ExamplesResult) run("relu:0 " + curves + " --k 3 --polarity dark");
            assertEquals(12, dark.imagesSeen());
            Example darkBest = dark.examples().get(0);
            System.out.printf("curve detector, dark on light only: best %.3f at %d,%d (%s); both ways: %.3f at %d,%d%n",
                    darkBest.value(), darkBest.y(), darkBest.x(), darkBest.label(), best.value(), best.y(), best.x());
            assertTrue(darkBest.value() < best.value(), "dark on light answers less");
            ExamplesResult given = (ExamplesResult) run("relu:0 " + curves + "&color=white&background=black --k 1");
            assertEquals(12, given.imagesSeen(), "colours given in the spec: one polarity");
            assertEquals(best.value(), given.examples().get(0).value(), 1e-5f);
        }
        assertTrue(assertThrows(MagicException.class, () -> run("conv3:1 world:5 --polarity light")).getMessage()
                .contains("--polarity is for stimuli"));
    }
}
