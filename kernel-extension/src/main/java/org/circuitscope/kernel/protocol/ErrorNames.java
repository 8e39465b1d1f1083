package org.circuitscope.kernel.protocol;

import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import org.circuitscope.kernel.cell.MagicFailedException;
import org.circuitscope.kernel.jshell.CellException;
import org.circuitscope.kernel.jshell.SnippetException;

/**
 * The {@code ename} of a failed cell: the class of what the user's code threw (JShell hands it over as an
 * EvalException naming the class), the cause of a failed magic, or, for a failure the kernel explains itself
 * (compile error, interrupt, unknown magic), the kernel's own exception.
 */
public final class ErrorNames {
    private ErrorNames() {
    }

    public static String of(Throwable failure) {
        if (failure instanceof SnippetException s) {
            JShellException thrown = s.jshellException();
            return thrown instanceof EvalException e ? e.getExceptionClassName() : thrown.getClass().getSimpleName();
        }
        if (failure instanceof MagicFailedException m && m.getCause() != null) {
            return m.getCause().getClass().getName();
        }
        if (failure instanceof CellException) {
            return failure.getClass().getSimpleName();
        }
        // an Error from a cell reaches jjava wrapped (jjava reports only Exceptions)
        if (failure instanceof IllegalStateException && failure.getCause() instanceof Error error) {
            return error.getClass().getName();
        }
        return failure.getClass().getName();
    }
}
