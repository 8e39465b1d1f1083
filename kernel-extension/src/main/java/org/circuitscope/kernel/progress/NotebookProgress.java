package org.circuitscope.kernel.progress;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.circuitscope.progress.Progress;

/**
 * A progress bar in the notebook: shown when created, then updated in place, at most {@link #MAX_UPDATES_PER_SECOND}
 * times a second (reports in between only remember the latest state). {@link #cancelled()} turns true once the user
 * interrupts the cell.
 */
public final class NotebookProgress implements Progress {
    public static final int MAX_UPDATES_PER_SECOND = 10;
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L / MAX_UPDATES_PER_SECOND;

    private final String title;
    private final DisplaySink sink;
    private final BooleanSupplier interrupted;
    private final LongSupplier clock;
    private final String displayId;
    private long lastShownAt;
    private long done;
    private long total;
    private String status = "";
    private boolean finished;

    public NotebookProgress(String title, DisplaySink sink, BooleanSupplier interrupted) {
        this(title, sink, interrupted, System::nanoTime);
    }

    NotebookProgress(String title, DisplaySink sink, BooleanSupplier interrupted, LongSupplier clock) {
        this.title = title;
        this.sink = sink;
        this.interrupted = interrupted;
        this.clock = clock;
        this.displayId = sink.show(ProgressBarHtml.html(title, 0, 0, "", "running"),
                ProgressBarHtml.text(title, 0, 0, "", "running"));
        this.lastShownAt = clock.getAsLong();
    }

    @Override
    public synchronized void update(long done, long total, String status) {
        if (finished) {
            return;
        }
        this.done = done;
        this.total = total;
        this.status = status == null ? "" : status;
        long now = clock.getAsLong();
        boolean complete = total > 0 && done >= total;
        if (complete || now - lastShownAt >= MIN_INTERVAL_NANOS) {
            show("running");
            lastShownAt = now;
        }
    }

    @Override
    public boolean cancelled() {
        return interrupted.getAsBoolean() || Thread.currentThread().isInterrupted();
    }

    @Override
    public synchronized void finish(String status) {
        if (finished) {
            return;
        }
        finished = true;
        if (status != null) {
            this.status = status;
        }
        boolean cancelled = cancelled();
        if (!cancelled && total > 0) {
            // finished normally means complete, whatever the last report said (a computation's stages rarely end
            // on an exact report of their total)
            done = Math.max(done, total);
        }
        show(cancelled ? "cancelled" : "done");
    }

    public String displayId() {
        return displayId;
    }

    private void show(String state) {
        sink.replace(displayId, ProgressBarHtml.html(title, done, total, status, state),
                ProgressBarHtml.text(title, done, total, status, state));
    }
}
