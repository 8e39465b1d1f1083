package org.circuitscope.kernel.render;

import org.circuitscope.display.Markup;

/** HTML text escaping for the kernel's own output (progress bars, %lsmagic): the engine's {@link Markup}. */
public final class Html {
    private Html() {
    }

    public static String escape(String s) {
        return Markup.escape(s);
    }
}
