package org.circuitscope.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiguresAndCaptionsTest {

    private static FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        } finally {
            g.dispose();
        }
    }

    @Test
    void aLongUnitNameKeepsItsEndAndFitsItsLines() {
        FontMetrics fm = metrics();
        String label = "MobilenetV2/expanded_conv_3/expand/Relu6:5";
        List<String> lines = Captions.lines(label, fm, 64, 2);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Mobilenet"), lines.toString());
        assertTrue(lines.get(1).endsWith("Relu6:5") || lines.get(1).endsWith(":5"), lines.toString());
        assertTrue(lines.stream().allMatch(l -> fm.stringWidth(l) <= 64), lines.toString());
        assertEquals(List.of("conv4:3"), Captions.lines("conv4:3", fm, 64, 2));
        List<String> one = Captions.lines("world/2026/17/without:wheel", fm, 60, 1);
        assertTrue(one.get(0).startsWith("…") && one.get(0).endsWith("wheel"), one.toString());
    }

    @Test
    void aFigureIsOneDrawingAsPngAndSvg() {
        Figure f = Figure.of("a red square", 40, 30, g -> {
            g.setColor(Color.RED);
            g.fillRect(10, 10, 10, 10);
            g.drawString("hi", 22, 20);
        });
        BufferedImage png = f.image();
        assertEquals(40, png.getWidth());
        assertEquals(0xff0000, png.getRGB(15, 15) & 0xffffff);
        assertEquals(0xffffff, png.getRGB(2, 2) & 0xffffff);
        String svg = f.svg();
        assertTrue(svg.startsWith("<svg") && svg.contains("rgb(255,0,0)") && svg.contains(">hi</text>"), svg);
        Map<String, Object> r = f.representations();
        assertEquals(List.of("text/plain", "image/png"), List.copyOf(r.keySet()));
        assertEquals("a red square", r.get("text/plain"));
    }
}
