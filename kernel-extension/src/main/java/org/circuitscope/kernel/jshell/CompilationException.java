package org.circuitscope.kernel.jshell;

import java.util.List;

/** Java source in a cell that does not compile, with JShell's diagnostics. */
public class CompilationException extends CellException {
    private final String source;
    private final List<Diagnostic> diagnostics;

    /** One compiler message with the span (in {@link #source()}) it is about; positions are -1 when unknown. */
    public record Diagnostic(String message, int start, int end) {
    }

    public CompilationException(String source, List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "does not compile" : diagnostics.get(0).message());
        this.source = source;
        this.diagnostics = List.copyOf(diagnostics);
    }

    public String source() {
        return source;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
