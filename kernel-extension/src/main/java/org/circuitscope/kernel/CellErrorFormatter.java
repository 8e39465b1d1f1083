package org.circuitscope.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import org.circuitscope.kernel.cell.MagicFailedException;
import org.circuitscope.kernel.cell.UnknownMagicException;
import org.circuitscope.kernel.jshell.CellInterruptedException;
import org.circuitscope.kernel.jshell.CompilationException;
import org.circuitscope.kernel.jshell.IncompleteSourceException;
import org.circuitscope.kernel.jshell.SnippetException;
import org.circuitscope.kernel.jshell.UnresolvedSnippetException;
import org.circuitscope.magics.MagicException;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * Turns a cell's failure into the lines Jupyter shows: the offending source with the error marked for compile
 * errors, the user's exception with only the user's stack frames for runtime errors, one plain sentence for magic
 * errors, interrupts and unknown magics.
 */
public final class CellErrorFormatter {
    private static final int MAX_FRAMES = 12;
    private final StringStyler styler;

    public CellErrorFormatter(StringStyler styler) {
        this.styler = styler;
    }

    /** The lines for failures the kernel explains itself, or null for anything else. */
    public List<String> format(Throwable e) {
        List<String> lines = new ArrayList<>();
        if (e instanceof CompilationException c) {
            for (CompilationException.Diagnostic d : c.diagnostics()) {
                if (d.start() >= 0 && d.end() >= d.start()) {
                    lines.addAll(styler.highlightSubstringLines(c.source(), d.start(), Math.max(d.end(),
                            d.start() + 1)));
                } else {
                    lines.addAll(styler.primaryLines(c.source()));
                }
                for (String m : StringStyler.splitLines(d.message())) {
                    if (!m.strip().startsWith("location:")) {
                        lines.add(styler.secondary(m));
                    }
                }
            }
        } else if (e instanceof SnippetException s) {
            lines.addAll(runtimeError(s.jshellException()));
        } else if (e instanceof UnresolvedSnippetException u) {
            lines.addAll(styler.primaryLines(u.source()));
            lines.add(styler.secondary(u.getMessage()));
        } else if (e instanceof IncompleteSourceException i) {
            lines.add(styler.secondary("Incomplete input: the cell ends in the middle of a statement "
                    + "(a missing ';', ')' or '}'?)"));
            lines.addAll(styler.primaryLines(i.source()));
        } else if (e instanceof CellInterruptedException || e instanceof UnknownMagicException) {
            lines.add(styler.secondary(e.getMessage()));
        } else if (e instanceof MagicFailedException m) {
            Throwable cause = m.getCause();
            if (cause instanceof MagicException) {
                lines.add(styler.secondary(cause.getMessage()));
            } else {
                lines.add(styler.secondary(m.invocation() + " failed: " + cause));
                lines.addAll(frames(cause));
            }
        } else {
            return null;
        }
        return lines;
    }

    private List<String> runtimeError(JShellException e) {
        List<String> lines = new ArrayList<>();
        Throwable t = e;
        boolean first = true;
        while (t != null) {
            String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
            String message = t.getMessage() == null ? "" : ": " + t.getMessage();
            lines.add(styler.secondary((first ? "" : "Caused by: ") + name + message));
            lines.addAll(frames(t));
            first = false;
            t = t.getCause();
        }
        return lines;
    }

    /** The stack frames down to where the kernel called the user's code, at most {@link #MAX_FRAMES}. */
    private List<String> frames(Throwable t) {
        List<String> lines = new ArrayList<>();
        int shown = 0;
        StackTraceElement[] trace = t.getStackTrace();
        for (StackTraceElement frame : trace) {
            String cls = frame.getClassName();
            if (cls.startsWith("jdk.internal.reflect.") || cls.startsWith("java.lang.reflect.")
                    || cls.startsWith("org.circuitscope.kernel.")) {
                break;
            }
            if (shown++ == MAX_FRAMES) {
                lines.add(styler.primary("\t..."));
                break;
            }
            lines.add(styler.primary("\tat " + frame));
        }
        return lines;
    }
}
