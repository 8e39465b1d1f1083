package org.circuitscope.kernel.jshell;

/** The user interrupted the cell (Jupyter's interrupt) before it finished. */
public class CellInterruptedException extends CellException {
    public CellInterruptedException() {
        super("Interrupted: the cell was stopped before it finished");
    }
}
