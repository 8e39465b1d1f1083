package org.circuitscope.kernel.cell;

import org.circuitscope.kernel.jshell.CellException;

/** A {@code %name} or {@code %%name} that no magic answers to. */
public class UnknownMagicException extends CellException {
    public UnknownMagicException(String name, boolean cell) {
        super("Unknown " + (cell ? "cell" : "line") + " magic " + (cell ? "%%" : "%") + name
                + ". Run %lsmagic to list the magics.");
    }
}
