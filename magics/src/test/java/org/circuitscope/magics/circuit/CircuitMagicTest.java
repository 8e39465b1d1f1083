package org.circuitscope.magics.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code %circuit} on the default model: feature visualisations on the units, {@code --explain}, bad input. */
class CircuitMagicTest {
    private final Magic magic = new CircuitMagic();
    private final InMemoryContext context = new InMemoryContext();

    @AfterEach
    void close() {
        context.closeModels();
    }

    private Object run(String line) throws Exception {
        return context.run(magic, line);
    }

    @Test
    void unitsShowFeatureVisualisationsUnlessToldOtherwise() throws Exception {
        CircuitResult c = assertInstanceOf(CircuitResult.class, run("conv5:18 --depth 1 --top 2 --images 8 --fv-steps 8"));
        assertTrue(c.thumbnailsDescription().startsWith("feature visualisation"), c.thumbnailsDescription());
        assertTrue(c.nodes().stream().allMatch(n -> c.thumbnail(n.unit()) != null));
        CircuitResult bare = (CircuitResult) run("conv5:18 --depth 1 --top 2 --images 8 --thumbs none");
        assertEquals("none", bare.thumbnailsDescription());
    }

    @Test
    void explainGrowsTheCircuitToTheFraction() throws Exception {
        CircuitResult c = assertInstanceOf(CircuitResult.class,
                run("conv5:18 --depth 1 --top 1 --by attribution --explain 0.5 --images 16 --thumbs none"));
        assertTrue(c.explained() >= 0.5, c.toString());
        assertEquals(0.5, c.explainTarget());
        assertTrue(c.top() > 1 && c.growth().size() > 1, c.growth().toString());
        assertTrue(c.toString().contains("explains"), c.toString());
    }

    @Test
    void badExplainSaysWhatIsWrong() {
        MagicException e = assertThrows(MagicException.class, () -> run("conv5:18 --explain 2"));
        assertTrue(e.getMessage().contains("between 0 and 1") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("conv5:18 --explain half"));
        assertTrue(e.getMessage().contains("'half'"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("conv5:18 --explain 0.5 --no-prune"));
        assertTrue(e.getMessage().contains("--no-prune"), e.getMessage());
    }
}
