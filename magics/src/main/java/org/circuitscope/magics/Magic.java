package org.circuitscope.magics;

/**
 * A notebook command ({@code %name args} or {@code %%name args\nbody}). Implementations parse their arguments, call
 * the engine and return a value the kernel displays (an image, a table, a chart, an engine result), or null.
 * They know nothing of Jupyter: the kernel extension adapts them.
 */
public interface Magic {

    /** The name typed after {@code %} (or {@code %%}). */
    String name();

    /** One line for {@code %lsmagic}. */
    String help();

    /**
     * Runs the line form: {@code %name args}.
     *
     * @param context what the notebook session offers a magic (current model, variables, display)
     * @param args    the line split into arguments (quoted arguments kept whole)
     * @return a value to display, or null
     * @throws MagicException with a message for the user when the arguments or their targets are wrong
     */
    Object line(MagicContext context, java.util.List<String> args) throws Exception;

    /** Runs the cell form: {@code %%name args} followed by a body. Most magics have no cell form. */
    default Object cell(MagicContext context, java.util.List<String> args, String body) throws Exception {
        throw new MagicException("%%" + name() + " has no cell form; use %" + name());
    }

    /** Whether {@link #cell} is implemented. */
    default boolean hasCellForm() {
        return false;
    }
}
