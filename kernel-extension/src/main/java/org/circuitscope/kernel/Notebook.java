package org.circuitscope.kernel;

import org.circuitscope.kernel.progress.NotebookProgress;
import org.circuitscope.progress.Progress;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * What notebook cells call directly: the kernel imports these statically, so a cell can write {@code display(img)},
 * {@code updateDisplay(id, table)} or {@code progress("training")}.
 */
public final class Notebook {
    private Notebook() {
    }

    /** Shows a value now, rendered like a cell result; returns the id to update it with. */
    public static String display(Object value) {
        return displays().display(value);
    }

    /** Shows a value as the given MIME types, e.g. {@code display(chart, "image/svg+xml")}. */
    public static String display(Object value, String... mimeTypes) {
        return displays().display(value, mimeTypes);
    }

    /** Replaces what {@link #display} showed under {@code displayId}. */
    public static void updateDisplay(String displayId, Object value) {
        displays().update(displayId, value);
    }

    public static void updateDisplay(String displayId, Object value, String... mimeTypes) {
        displays().update(displayId, value, mimeTypes);
    }

    /** A progress bar shown now and updated in place; its {@code cancelled()} turns true on interrupt. */
    public static Progress progress(String title) {
        return new NotebookProgress(title, displays(), CellInterrupts::requested);
    }

    /** Clears the cell's output so far (e.g. to redraw a figure in a loop); works in the circuitscope kernel. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** With {@code wait}, the output is cleared only when the next output arrives, so redrawing does not flicker. */
    public static void clearOutput(boolean wait) {
        if (!(BaseKernel.notebookKernel() instanceof CircuitscopeKernel kernel)) {
            throw new UnsupportedOperationException("clearOutput() needs the circuitscope kernel; this is "
                    + BaseKernel.notebookKernel().getBanner());
        }
        kernel.clearOutput(wait);
    }

    /** Whether the user interrupted the running cell: long loops in cells can poll it. */
    public static boolean interrupted() {
        return CellInterrupts.requested();
    }

    private static KernelDisplays displays() {
        return new KernelDisplays(BaseKernel.notebookKernel());
    }
}
