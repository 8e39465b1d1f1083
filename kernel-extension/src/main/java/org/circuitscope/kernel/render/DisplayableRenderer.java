package org.circuitscope.kernel.render;

import java.awt.image.RenderedImage;
import java.util.Base64;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

/** Engine results that describe their own looks: each representation goes out under its MIME type. */
final class DisplayableRenderer {
    private DisplayableRenderer() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(Displayable.class)
                .register((value, context) -> put(context.getOutputContainer(), value.representations()));
    }

    static void put(DisplayData out, Map<String, Object> representations) {
        representations.forEach((mime, data) -> {
            if (data != null) {
                out.putData(mime, encode(data));
            }
        });
    }

    private static Object encode(Object data) {
        if (data instanceof RenderedImage image) {
            return Png.base64(image);
        }
        if (data instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (data instanceof CharSequence text) {
            return text.toString();
        }
        return String.valueOf(data);
    }
}
