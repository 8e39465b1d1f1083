package org.circuitscope.kernel.jshell;

/**
 * Thrown inside a cell's own code at a loop or method entry once an interrupt turns forceful (see
 * {@link CellCheckpoint}). An Error, so that {@code catch (Exception e)} in the cell does not swallow it.
 */
public final class CellStoppedError extends Error {
    public CellStoppedError() {
        super("the cell was interrupted", null, false, false);
    }
}
