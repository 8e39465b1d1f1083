package org.circuitscope.kernel.render;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** PNG encoding, base64 as Jupyter's image/png wants it. */
public final class Png {
    private Png() {
    }

    public static byte[] encode(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for this image type");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String base64(RenderedImage image) {
        return Base64.getEncoder().encodeToString(encode(image));
    }
}
