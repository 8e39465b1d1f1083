package org.circuitscope.kernel.jshell;

import jdk.jshell.JShellException;

/** A snippet compiled but failed when it ran: it threw, or it used something not defined yet. */
public class SnippetException extends CellException {
    private final String source;

    public SnippetException(String source, JShellException cause) {
        super(cause.getMessage(), cause);
        this.source = source;
    }

    public String source() {
        return source;
    }

    public JShellException jshellException() {
        return (JShellException) getCause();
    }
}
