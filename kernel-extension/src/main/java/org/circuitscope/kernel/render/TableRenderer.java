package org.circuitscope.kernel.render;

import org.circuitscope.display.TableHtml;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;

/** Tablesaw tables as text/html and text/plain, numbers to four significant digits (see {@link TableHtml}). */
final class TableRenderer {
    private TableRenderer() {
    }

    static void register(Renderer renderer) {
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, context) -> {
                    context.renderIfRequested(MIMEType.TEXT_HTML, () -> TableHtml.render(table));
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> TableHtml.plain(table));
                });
    }
}
