package org.circuitscope.kernel.render;

import java.awt.Rectangle;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** JFreeChart charts drawn as PNG or SVG. */
public final class ChartImages {
    public static final int DEFAULT_WIDTH = 640;
    public static final int DEFAULT_HEIGHT = 400;

    private ChartImages() {
    }

    public static String pngBase64(JFreeChart chart, int width, int height) {
        return Png.base64(chart.createBufferedImage(width, height));
    }

    public static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        chart.draw(g2, new Rectangle(0, 0, width, height));
        return g2.getSVGElement();
    }
}
