package org.circuitscope.kernel.cell;

import org.circuitscope.kernel.jshell.CellException;

/** A magic ran and failed; the cause says why. */
public class MagicFailedException extends CellException {
    private final String invocation;

    public MagicFailedException(String invocation, Throwable cause) {
        super(message(invocation, cause), cause);
        this.invocation = invocation;
    }

    /** The cause's message, prefixed with the invocation unless it already starts with it (no "%m: %m: ..."). */
    private static String message(String invocation, Throwable cause) {
        String m = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        return m.startsWith(invocation) ? m : invocation + ": " + m;
    }

    /** How the user called it, e.g. {@code %maven}. */
    public String invocation() {
        return invocation;
    }
}
