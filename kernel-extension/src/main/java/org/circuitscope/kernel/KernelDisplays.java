package org.circuitscope.kernel;

import java.util.UUID;
import org.circuitscope.kernel.progress.DisplaySink;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Shows values in the running cell through a kernel's renderer, and replaces them in place by display id. Works on
 * every JJava version the extension supports: the display id goes in as transient data, because
 * {@code DisplayData.setDisplayId} changed its return type in JJava 1.0-a7 (code compiled against one version fails
 * with NoSuchMethodError on the other).
 */
public final class KernelDisplays implements DisplaySink {
    /** Jupyter's key for a display id in a display message's transient data. */
    private static final String DISPLAY_ID = "display_id";

    private final BaseKernel kernel;

    public KernelDisplays(BaseKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * What a magic hands back to the kernel that called it. Our kernel shows a cell's value itself; other JJava
     * kernels may not (1.0-a6 appends {@code ;{};} to each magic call, dropping its value), so there the value is
     * shown now through the display channel and nothing is returned (1.0-a7 would otherwise show it twice).
     */
    public static Object magicResult(BaseKernel kernel, Object value) {
        if (value == null || kernel instanceof CircuitscopeKernel) {
            return value;
        }
        new KernelDisplays(kernel).display(value);
        return null;
    }

    /** Renders a value (as the given MIME types, or its preferred ones) and shows it; returns the display id. */
    public String display(Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.putTransientData(DISPLAY_ID, id);
        kernel.display(data);
        return id;
    }

    public void update(String displayId, Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        kernel.getIO().display.updateDisplay(displayId, data);
    }

    @Override
    public String show(String html, String text) {
        DisplayData data = new DisplayData(text);
        data.putHTML(html);
        String id = UUID.randomUUID().toString();
        data.putTransientData(DISPLAY_ID, id);
        kernel.display(data);
        return id;
    }

    @Override
    public void replace(String displayId, String html, String text) {
        DisplayData data = new DisplayData(text);
        data.putHTML(html);
        kernel.getIO().display.updateDisplay(displayId, data);
    }

    private DisplayData render(Object value, String... mimeTypes) {
        if (value instanceof DisplayData d) {
            return new DisplayData(d);
        }
        if (value == null) {
            return new DisplayData("null");
        }
        return mimeTypes.length == 0 ? kernel.getRenderer().render(value) : kernel.getRenderer().renderAs(value,
                mimeTypes);
    }
}
