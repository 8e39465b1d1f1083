package org.circuitscope.kernel.cell;

import org.circuitscope.kernel.jshell.CellException;

/** A {@code %name} or {@code %%name} that no magic answers to. */
public class UnknownMagicException extends CellException {
    public UnknownMagicException(String name, boolean cell) {
        this(name, cell, java.util.List.of());
    }

    /** @param known the magics there are, for a "did you mean" */
    public UnknownMagicException(String name, boolean cell, java.util.Collection<String> known) {
        super("Unknown " + (cell ? "cell" : "line") + " magic " + (cell ? "%%" : "%") + name + guess(name, cell, known)
                + ". Run %lsmagic to list the magics.");
    }

    private static String guess(String name, boolean cell, java.util.Collection<String> known) {
        String g = org.circuitscope.magics.MagicArgs.didYouMean(name, known);
        return g == null ? "" : "; did you mean " + (cell ? "%%" : "%") + g + "?";
    }
}
