package org.circuitscope.kernel.jshell;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.circuitscope.kernel.protocol.SocketGuard;

/**
 * Runs a cell's work (a snippet, a magic) on a thread of its own, so that an interrupt can end it without touching
 * the thread that talks to Jupyter.
 *
 * <p>An interrupt first raises a flag that cooperative code ({@code Progress.cancelled()}, {@code
 * MagicContext.interrupted()}) polls; engine loops then return what they have, marked partial. Work still running
 * after a grace period is stopped by force, on every JDK: the cell's own code throws at its next loop or method entry
 * ({@link CellCheckpoint}), and the thread is interrupted, which ends sleeps, waits and blocking I/O. Both happen only
 * between ZeroMQ sends ({@link SocketGuard}): an interrupt inside a send closes the kernel's socket for good. On JDKs
 * before 20 a thread still running then is stopped with {@link Thread#stop()}; on later ones (where it does nothing)
 * the user is told that the cell is in library code that ignores interrupts.
 */
public final class InterruptibleRunner {
    /**
     * How work is stopped: after how long, and whether {@link Thread#stop()} may end it (only the cell's own code:
     * stopping engine code inside DJL could leave native memory or locks behind).
     */
    public record Stopping(long graceMillis, boolean threadStop) {
    }

    /** The cell's own code: 0.3 s to notice the flag, then stopped at its next checkpoint. */
    public static final Stopping SNIPPET = new Stopping(300, true);
    /**
     * A magic: engine loops check for an interrupt at least once a second and return what they have, marked partial;
     * after 2.5 s the thread is interrupted too (sleeps, downloads), never stopped.
     */
    public static final Stopping MAGIC = new Stopping(2500, false);
    private static final long RETRY_MILLIS = 250;
    private static final int MAX_FORCE_ATTEMPTS = 20;
    /** After this many forced attempts (about 2 s) a cell still running is reported as unstoppable. */
    private static final int TELL_AFTER = 8;
    private static final boolean THREAD_STOP_WORKS = Runtime.version().feature() < 20;

    /** The running work threads, each with how it may be stopped. */
    private final Map<Thread, Stopping> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService stopper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "circuitscope-interrupt");
        t.setDaemon(true);
        return t;
    });
    private final SocketGuard sockets;
    private volatile Consumer<String> notice = System.err::println;
    private volatile boolean interruptRequested;
    private volatile boolean forced;
    private volatile ClassLoader contextLoader;

    public InterruptibleRunner() {
        this(new SocketGuard());
    }

    public InterruptibleRunner(SocketGuard sockets) {
        this.sockets = sockets;
    }

    /** Where the runner tells the user that a cell ignores the interrupt (the cell's stderr by default). */
    public void onNotice(Consumer<String> notice) {
        this.notice = notice;
    }

    /** The class loader the work threads see as context loader (the one that loads snippet classes). */
    public void setContextClassLoader(ClassLoader loader) {
        this.contextLoader = loader;
    }

    /** Runs {@code work} on a new thread and waits for it; its exception is rethrown as is. */
    public <T> T run(String name, Callable<T> work) throws Exception {
        return run(name, SNIPPET, work);
    }

    /** As {@link #run(String, Callable)}, stopped on interrupt as {@code stopping} says. */
    public <T> T run(String name, Stopping stopping, Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        worker.setDaemon(true);
        ClassLoader loader = contextLoader;
        worker.setContextClassLoader(loader != null ? loader : Thread.currentThread().getContextClassLoader());
        active.put(worker, stopping);
        try {
            worker.start();
            if (interruptRequested) {
                // the interrupt came while the work was prepared (JShell compiling the snippet): same grace, then force
                stopper.schedule(() -> force(List.of(worker), stopping, 0), stopping.graceMillis(),
                        TimeUnit.MILLISECONDS);
            }
            worker.join();
        } finally {
            active.remove(worker);
        }
        Throwable f = failure.get();
        if (f == null) {
            return result.get();
        }
        if (stoppedBy(f)) {
            throw new CellInterruptedException();
        }
        if (f instanceof Exception e) {
            throw e;
        }
        throw (Error) f;
    }

    /**
     * Whether a failure is our stop: a checkpoint's error or a ThreadDeath (directly or wrapped by reflection, as
     * snippets run through Method.invoke), or, once the stop turned forceful, what the thread interrupt caused.
     */
    @SuppressWarnings("removal")
    private boolean stoppedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CellStoppedError || t instanceof ThreadDeath) {
                return true;
            }
            if (forced && (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof InterruptedIOException)) {
                return true;
            }
        }
        return false;
    }

    /** Forgets an earlier interrupt; called when a new cell starts. */
    public void reset() {
        interruptRequested = false;
        forced = false;
        CellCheckpoint.clear();
    }

    public boolean interruptRequested() {
        return interruptRequested;
    }

    /** Whether work is running now. */
    public boolean busy() {
        return !active.isEmpty();
    }

    /** Asks the running work to stop: first politely, then by force after a short grace period. */
    public void interrupt() {
        interruptRequested = true;
        Map<Stopping, List<Thread>> byPolicy = active.entrySet().stream().collect(Collectors.groupingBy(
                Map.Entry::getValue, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        byPolicy.forEach((policy, targets) -> stopper.schedule(() -> force(targets, policy, 0),
                policy.graceMillis(), TimeUnit.MILLISECONDS));
    }

    private void force(List<Thread> targets, Stopping policy, int attempt) {
        List<Thread> alive = targets.stream().filter(t -> t.isAlive() && active.containsKey(t)).toList();
        if (alive.isEmpty() || !interruptRequested) {
            return;
        }
        if (attempt == 0) {
            forced = true;
            CellCheckpoint.stop(alive);
        }
        // a thread interrupt only between socket sends; repeated, since code may clear the flag and go on
        sockets.between(() -> alive.forEach(Thread::interrupt));
        boolean threadStop = policy.threadStop() && THREAD_STOP_WORKS;
        if (attempt > 0 && threadStop) {
            sockets.between(() -> alive.forEach(InterruptibleRunner::stop));
        }
        if (attempt == TELL_AFTER && !threadStop) {
            notice.accept("Still running after the interrupt: the code inside does not check for it"
                    + (policy.threadStop() ? " (library code; Java " + Runtime.version().feature()
                    + " can no longer stop a thread from outside)" : "") + ". It stops when it next checks, or "
                    + "at the next line of the cell's own code; to end it now, restart the kernel.");
        }
        if (attempt + 1 < MAX_FORCE_ATTEMPTS) {
            stopper.schedule(() -> force(targets, policy, attempt + 1), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread t) {
        try {
            t.stop();
        } catch (UnsupportedOperationException e) {
            // JDK 20+: nothing to do (checked above; kept for JVMs that refuse it anyway)
        }
    }
}
