package org.circuitscope.kernel.jshell;

/** A failure of a cell that the kernel already explains in words, as opposed to an unexpected exception. */
public abstract class CellException extends RuntimeException {
    protected CellException(String message) {
        super(message);
    }

    protected CellException(String message, Throwable cause) {
        super(message, cause);
    }
}
