package org.circuitscope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.circuitscope.tensor.Tensor;
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

    @Test
    void malformedMetadataIsNamed() {
        ModelException e = assertThrows(ModelException.class, () -> InputSpec.fromMetadata(
                Map.of("input.mean", "0.4,abc,0.4"), InputSpec.rgb01(8)));
        assertTrue(e.getMessage().contains("input.mean") && e.getMessage().contains("abc"), e.getMessage());
        e = assertThrows(ModelException.class, () -> InputSpec.fromMetadata(Map.of("input.mean", "1,2"),
                InputSpec.rgb01(8)));
        assertTrue(e.getMessage().contains("3 values"), e.getMessage());
    }

    @Test
    void picturesBecomeTheInputsChannelsAfterTheCentralCrop() {
        // a 10x10 picture: a red border two pixels wide around a grey (0.5) centre
        BufferedImage img = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                boolean border = x < 2 || y < 2 || x > 7 || y > 7;
                img.setRGB(x, y, border ? 0xff0000 : 0x808080);
            }
        }
        Tensor grey = InputSpec.plain(10, 10, 1).images(List.of(img));
        assertArrayEquals(new long[] {1, 1, 10, 10}, grey.shape());
        assertEquals(0.299f, grey.data()[0], 1e-6);
        assertEquals(128 / 255f, grey.data()[5 * 10 + 5], 1e-6);
        // the central 0.6 is the grey centre only: no red survives the crop
        InputSpec cropped = InputSpec.rgb01(6).withCrop(0.6f);
        Tensor rgb = cropped.images(List.of(img));
        for (float v : rgb.data()) {
            assertEquals(128 / 255f, v, 1e-6);
        }
        assertEquals(6, cropped.picture(img).getWidth());
        Tensor rgba = InputSpec.plain(10, 10, 4).images(List.of(img));
        assertEquals(1f, rgba.data()[3 * 100], 1e-6);
        ModelException e = assertThrows(ModelException.class, () -> InputSpec.plain(4, 4, 7).images(List.of(img)));
        assertTrue(e.getMessage().contains("7 channels"), e.getMessage());
        assertEquals(new InputSpec(4, 4, 2, false, 0, 1, new float[] {0.5f, 0.5f}, new float[] {2, 2}, 1f),
                InputSpec.plain(4, 4, 2).withMean(new float[] {0.5f}).withStd(new float[] {2}));
    }
}
