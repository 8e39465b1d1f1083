package org.circuitscope.kernel.render;

import java.awt.image.BufferedImage;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** BufferedImage as image/png, with its size as text/plain. */
final class BufferedImageRenderer {
    private BufferedImageRenderer() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(BufferedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((image, context) -> {
                    context.renderIfRequested(MIMEType.IMAGE_PNG, () -> Png.base64(image));
                    context.renderIfRequested(MIMEType.TEXT_PLAIN,
                            () -> "BufferedImage " + image.getWidth() + "x" + image.getHeight());
                });
    }
}
