package org.circuitscope.magics.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.MagicProvider;
import org.circuitscope.model.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code %attribution} on the default model: classes by name, units, bad input. */
class AttributionMagicTest {
    private final Magic magic = new AttributionMagic();
    private final InMemoryContext context = new InMemoryContext();

    @AfterEach
    void close() {
        LoadedModels.of(context.session()).all().values().forEach(Model::close);
    }

    private Object run(String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void aClassByNameIsItsLogit() throws Exception {
        assertTrue(MagicProvider.all().stream().map(Magic::name).toList().contains("attribution"));
        AttributionResult r = assertInstanceOf(AttributionResult.class,
                run("car --from conv5 --data world:5 --images 20 --as carInputs"));
        assertSame(r, context.variables.get("carInputs"));
        assertEquals("logits:0", r.unit().toString());
        assertEquals("conv5", r.from());
        assertEquals(20, r.images());
        assertEquals(64, r.perChannel().length);
        assertEquals(64, r.table().rowCount());
        // the contributions through global pooling and the classifier sum to the logit minus its bias
        double sum = Arrays.stream(r.perChannel()).sum();
        assertTrue(Math.abs(sum - r.unitMean()) < Math.abs(r.unitMean()), sum + " vs " + r.unitMean());
        AttributionResult unit = assertInstanceOf(AttributionResult.class,
                run("conv4:3 --from conv3 --images 8"));
        assertEquals(8, unit.images());
    }

    @Test
    void badInputSaysWhatIsWrong() {
        MagicException noFrom = assertThrows(MagicException.class, () -> run("car"));
        assertTrue(noFrom.getMessage().contains("--from"), noFrom.getMessage());
        MagicException noClass = assertThrows(MagicException.class, () -> run("zebra --from conv5"));
        assertTrue(noClass.getMessage().contains("neither a unit") && noClass.getMessage().contains("car"),
                noClass.getMessage());
        MagicException layer = assertThrows(MagicException.class, () -> run("car --from conv9"));
        assertTrue(layer.getMessage().contains("conv9"), layer.getMessage());
        MagicException same = assertThrows(MagicException.class, () -> run("conv4:1 --from conv4"));
        assertTrue(same.getMessage().contains("earlier layer"), same.getMessage());
        MagicException channel = assertThrows(MagicException.class, () -> run("conv4:99 --from conv3"));
        assertTrue(channel.getMessage().contains("no channel 99"), channel.getMessage());
    }
}
