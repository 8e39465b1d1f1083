package org.circuitscope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitAndInputSpecTest {

    @Test
    void unitsParseAndPrint() {
        assertEquals(Unit.channel("fire4/concat", 12), Unit.parse("fire4/concat:12"));
        assertEquals("fire4/concat:12", Unit.channel("fire4/concat", 12).toString());
        assertEquals(Unit.neuron("conv3", 5, 7, 2), Unit.parse(" conv3:5@7,2 "));
        assertEquals("conv3:5@7,2", Unit.parse("conv3:5@7,2").toString());
        // Layer names may contain colons; the last ":<digits>" is the channel.
        assertEquals(Unit.channel("scope:a/b", 3), Unit.parse("scope:a/b:3"));
        assertEquals(Unit.direction("mixed4a", new float[] {1, 2}), Unit.direction("mixed4a", new float[] {1, 2}));
        ModelException e = assertThrows(ModelException.class, () -> Unit.parse("fire4/concat"));
        assertTrue(e.getMessage().contains("layer:channel"), e.getMessage());
        assertThrows(ModelException.class, () -> Unit.channel("x", -1));
    }

    @Test
    void preprocessingFromMetadata() {
        InputSpec s = InputSpec.fromMetadata(Map.of("input.channel_order", "BGR", "input.range", "0..255",
                "input.mean", "104,117,123", "input.size", "227"), InputSpec.rgb01(224));
        assertEquals(227, s.height());
        assertTrue(s.bgr());
        assertEquals(255f, s.high());
        assertArrayEquals(new float[] {104, 117, 123}, s.mean());
        assertArrayEquals(new float[] {1, 1, 1}, s.std());
        InputSpec t = InputSpec.fromMetadata(Map.of("input.std", "0.5"), InputSpec.rgb01(64));
        assertFalse(t.bgr());
        assertEquals(64, t.width());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, t.std());
        assertThrows(ModelException.class, () -> InputSpec.fromMetadata(Map.of("input.range", "255"),
                InputSpec.rgb01(8)));
        assertThrows(ModelException.class, () -> InputSpec.rgb01(8).withStd(new float[] {1, 0, 1}));
    }
}
