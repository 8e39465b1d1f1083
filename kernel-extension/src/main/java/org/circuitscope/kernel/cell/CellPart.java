package org.circuitscope.kernel.cell;

import java.util.List;

/** A piece of a cell, run in order: Java source, a {@code %line} magic, or (a whole cell) a {@code %%cell} magic. */
public sealed interface CellPart {

    record Java(String source) implements CellPart {
    }

    /** {@code %name rest-of-line}: {@code rawArgs} is the text after the name, {@code args} its split form. */
    record LineMagic(String name, String rawArgs, List<String> args) implements CellPart {
    }

    /** {@code %%name args} on the first line, {@code body} the lines after it. */
    record CellMagic(String name, String rawArgs, List<String> args, String body) implements CellPart {
    }
}
