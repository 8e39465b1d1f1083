package org.circuitscope.kernel.cell;

import org.circuitscope.kernel.jshell.CellException;

/** A magic ran and failed; the cause says why. */
public class MagicFailedException extends CellException {
    private final String invocation;

    public MagicFailedException(String invocation, Throwable cause) {
        super(invocation + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName()),
                cause);
        this.invocation = invocation;
    }

    /** How the user called it, e.g. {@code %maven}. */
    public String invocation() {
        return invocation;
    }
}
