package org.circuitscope.kernel.jshell;

/** The cell ends in the middle of a statement or declaration (a missing brace, parenthesis or semicolon). */
public class IncompleteSourceException extends CellException {
    private final String source;

    public IncompleteSourceException(String source) {
        super("incomplete input: the cell ends in the middle of a statement");
        this.source = source;
    }

    public String source() {
        return source;
    }
}
