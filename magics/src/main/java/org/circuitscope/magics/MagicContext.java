package org.circuitscope.magics;

/**
 * What a magic can ask of the notebook session it runs in. The kernel extension implements it over JShell and the
 * Jupyter display; tests implement it in memory.
 */
public interface MagicContext {

    /** Binds {@code value} to a notebook variable called {@code name}, declared with the given Java type. */
    void setVariable(String name, String javaType, Object value) throws Exception;

    /** Shows a value now (rendered like a cell result); returns a display id for {@link #updateDisplay}. */
    String display(Object value);

    /** Replaces what an earlier {@link #display} showed. */
    void updateDisplay(String displayId, Object value);

    /** Whether the user asked to interrupt the running cell. Long loops check it at least once a second. */
    boolean interrupted();

    /** Session state shared by magics (the current model and so on). */
    Session session();

    /**
     * A progress report for a long computation started by a magic; the kernel shows it as a bar that updates in
     * place. Its {@code cancelled()} turns true when the user interrupts the cell.
     */
    default org.circuitscope.progress.Progress progress(String title) {
        MagicContext self = this;
        return new org.circuitscope.progress.Progress() {
            @Override
            public void update(long done, long total, String status) {
            }

            @Override
            public boolean cancelled() {
                return self.interrupted();
            }
        };
    }
}
