package org.circuitscope.kernel.render;

import org.dflib.jjava.jupyter.kernel.display.Renderer;

/** Registers circuitscope's renderers (images, Tablesaw tables, JFreeChart charts, engine results). */
public final class Renderers {
    private Renderers() {
    }

    public static void registerAll(Renderer renderer) {
        BufferedImageRenderer.register(renderer);
        TableRenderer.register(renderer);
        ChartRenderer.register(renderer);
        DisplayableRenderer.register(renderer);
    }
}
