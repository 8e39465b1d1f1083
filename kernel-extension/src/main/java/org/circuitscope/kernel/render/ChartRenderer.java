package org.circuitscope.kernel.render;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jfree.chart.JFreeChart;

/**
 * JFreeChart charts as image/png, or image/svg+xml when asked ({@code display(chart, "image/svg+xml")}). Render
 * parameters {@code width} and {@code height} set the size.
 */
final class ChartRenderer {
    private ChartRenderer() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(JFreeChart.class)
                .supporting(MIMEType.IMAGE_SVG)
                .preferring(MIMEType.IMAGE_PNG)
                .register((chart, context) -> {
                    int width = context.getParameterAsInt("width", ChartImages.DEFAULT_WIDTH);
                    int height = context.getParameterAsInt("height", ChartImages.DEFAULT_HEIGHT);
                    context.renderIfRequested(MIMEType.IMAGE_PNG, () -> ChartImages.pngBase64(chart, width, height));
                    context.renderIfRequested(MIMEType.IMAGE_SVG, () -> ChartImages.svg(chart, width, height));
                    String title = chart.getTitle() != null ? chart.getTitle().getText() : "";
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "JFreeChart " + title);
                });
    }
}
