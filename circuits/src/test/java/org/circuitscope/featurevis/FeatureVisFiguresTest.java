package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartRenderingInfo;
import org.junit.jupiter.api.Test;

/** How a feature-visualisation result looks: its objective chart and its montage captions. */
class FeatureVisFiguresTest {

    private static FeatureVisResult result(List<String> labels, int size) {
        List<BufferedImage> images = new ArrayList<>();
        List<float[]> trace = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            images.add(new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB));
        }
        for (int s = 0; s < 50; s++) {
            float[] v = new float[labels.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.log1p(s * (i + 1));
            }
            trace.add(v);
        }
        return new FeatureVisResult("channel conv4:3 − 10 × diversity", labels, images, trace, Map.of(), false, 50,
                50, 1.0, "fourier", "standard", 0, "organism");
    }

    /** A diversity run's four series once had a legend under the plot that left the plot a sliver. */
    @Test
    void theDiversityLegendLeavesThePlotMostOfTheChart() {
        List<String> labels = List.of("channel conv4:3 − 10 × diversity #0", "channel conv4:3 − 10 × diversity #1",
                "channel conv4:3 − 10 × diversity #2", "channel conv4:3 − 10 × diversity #3");
        FeatureVisResult r = result(labels, 64);
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage chart = r.chart(info);
        Rectangle2D plot = info.getPlotInfo().getDataArea();
        assertTrue(plot.getHeight() >= 0.6 * chart.getHeight(), "plot " + plot + " in " + chart.getHeight());
        assertTrue(plot.getWidth() >= 0.55 * chart.getWidth(), "plot " + plot + " in " + chart.getWidth());
        assertEquals(List.of("#0", "#1", "#2", "#3"), FeatureVisResult.distinctParts(labels));
        assertEquals(List.of("13", "17"), FeatureVisResult.distinctParts(List.of("conv4:13", "conv4:17")));
    }

    /** Montage captions keep the end of a long unit name (its layer and channel), not just its beginning. */
    @Test
    void longMontageLabelsKeepTheirChannel() {
        String label = "MobilenetV2/expanded_conv_3/expand/Relu6:5";
        FeatureVisResult r = result(List.of(label, "MobilenetV2/expanded_conv_3/expand/Relu6:6"), 64);
        String html = (String) r.representations().get("text/html");
        assertTrue(html.contains(">" + label + "</figcaption>"), "the whole label in the HTML caption");
        assertTrue(html.contains("overflow-wrap:anywhere"), "wrapped within the image's width");
        BufferedImage grid = r.grid();
        assertTrue(grid.getHeight() >= 64 + 24, "room for two caption lines");
    }
}
