package org.circuitscope.kernel.jshell;

/** The user interrupted the cell (Jupyter's interrupt) before it finished. */
public class CellInterruptedException extends CellException {
    public CellInterruptedException() {
        this(false);
    }

    /** @param partialShown whether what the cell computed before the stop was shown */
    public CellInterruptedException(boolean partialShown) {
        super(partialShown ? "Interrupted: the cell stopped early; above is what it computed until then"
                : "Interrupted: the cell was stopped before it finished");
    }
}
