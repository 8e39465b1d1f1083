package org.circuitscope.progress;

/**
 * Where a long computation reports how far it got, and learns whether it should stop. The kernel shows it as a bar
 * that updates in place; {@link #NONE} ignores reports and never cancels.
 */
public interface Progress {

    /** Called now and then: {@code done} of {@code total} units (total may be 0 when unknown), and a short status. */
    void update(long done, long total, String status);

    /** True once the user asked to stop (Jupyter's interrupt); loops check it at least once a second. */
    boolean cancelled();

    /** The computation ended (normally, by cancellation or by an error). */
    default void finish(String status) {
    }

    Progress NONE = new Progress() {
        @Override
        public void update(long done, long total, String status) {
        }

        @Override
        public boolean cancelled() {
            return Thread.currentThread().isInterrupted();
        }
    };
}
