package org.circuitscope.weights;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small multiples of heatmaps whose inputs have long names (MobileNet's "MobileNetV2/expanded_conv_5/add/add:17")
 * once drew each caption in one line across its neighbours' columns: captions now stay inside their column, in two
 * lines that keep the channel, and the figure's title wraps instead of running off the figure.
 */
class HeatmapCaptionsTest {
    private static final String LONG = "+ MobileNetV2/expanded_conv_5/add/add:17";

    @Test
    void captionsStayInTheirColumnAndKeepTheChannel() {
        int panelWidth = 166; // the layout's narrowest column: 150 + 16
        List<String> lines = Heatmaps.captionLines(LONG, panelWidth);
        assertTrue(lines.size() <= Heatmaps.CAPTION_LINES, lines.toString());
        assertTrue(lines.get(lines.size() - 1).endsWith(":17"), lines.toString());
        java.awt.FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
                .getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        for (String l : lines) {
            assertTrue(fm.stringWidth(l) <= panelWidth - 12, "'" + l + "' is " + fm.stringWidth(l) + " px");
        }
    }

    @Test
    void neighbouringCaptionsDoNotTouchInTheDrawnFigure() {
        List<Heatmaps.Panel> panels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            panels.add(new Heatmaps.Panel("+ MobileNetV2/expanded_conv_5/add/add:" + (10 + i), "‖w‖=0.3 Σ=0.1",
                    new float[] {0.1f, -0.2f, 0.3f, 0.1f, 0.2f, -0.1f, 0.05f, 0.1f, -0.3f}, 3, 3, null, null));
        }
        BufferedImage img = Heatmaps.smallMultiples("test", "Strongest inputs of MobileNetV2/expanded_conv_6/project/"
                + "batch_norm/FusedBatchNormV3:5 from MobileNetV2/expanded_conv_5/add/add (8 images)", panels, 0.3, 6,
                0).image();
        // a column of white pixels between every two neighbouring panels, over the whole height of the panels
        int panelW = (img.getWidth() - 20) / 6;
        for (int p = 1; p < 6; p++) {
            int gapX = 10 + p * panelW - 3;
            for (int y = 70; y < img.getHeight(); y++) {
                assertTrue((img.getRGB(gapX, y) & 0xffffff) == 0xffffff, "ink at x=" + gapX + ", y=" + y
                        + " between panels " + (p - 1) + " and " + p);
            }
        }
    }
}
