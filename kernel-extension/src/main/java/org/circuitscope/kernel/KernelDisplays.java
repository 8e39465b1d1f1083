package org.circuitscope.kernel;

import java.util.UUID;
import org.circuitscope.kernel.progress.DisplaySink;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Shows values in the running cell through a kernel's renderer, and replaces them in place by display id. */
public final class KernelDisplays implements DisplaySink {
    private final BaseKernel kernel;

    public KernelDisplays(BaseKernel kernel) {
        this.kernel = kernel;
    }

    /** Renders a value (as the given MIME types, or its preferred ones) and shows it; returns the display id. */
    public String display(Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
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
        data.setDisplayId(id);
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
