package org.circuitscope.kernel.jshell;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a cell's work (a snippet, a magic) on a thread of its own, so that an interrupt can end it without touching
 * the thread that talks to Jupyter.
 *
 * <p>An interrupt first raises a flag that cooperative code ({@code Progress.cancelled()}, {@code
 * MagicContext.interrupted()}) polls; work still running after a grace period is stopped with {@link Thread#stop()}.
 * {@link Thread#interrupt()} is never used: the worker may be inside a ZeroMQ send (display updates), and an
 * interrupted NIO write closes the channel for good.
 */
public final class InterruptibleRunner {
    private static final long GRACE_MILLIS = 300;
    private static final long RETRY_MILLIS = 250;
    private static final int MAX_STOP_ATTEMPTS = 20;

    private final Set<Thread> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService stopper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "circuitscope-interrupt");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean interruptRequested;
    private volatile boolean stopUnsupported;
    private volatile ClassLoader contextLoader;

    /** The class loader the work threads see as context loader (the one that loads snippet classes). */
    public void setContextClassLoader(ClassLoader loader) {
        this.contextLoader = loader;
    }

    /** Runs {@code work} on a new thread and waits for it; its exception is rethrown as is. */
    public <T> T run(String name, Callable<T> work) throws Exception {
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
        active.add(worker);
        try {
            worker.start();
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

    /** A ThreadDeath from our stop(), directly or wrapped by reflection (snippets run through Method.invoke). */
    private static boolean stoppedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ThreadDeath) {
                return true;
            }
        }
        return false;
    }

    /** Forgets an earlier interrupt; called when a new cell starts. */
    public void reset() {
        interruptRequested = false;
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
        List<Thread> targets = List.copyOf(active);
        if (targets.isEmpty()) {
            return;
        }
        stopper.schedule(() -> stopWhileAlive(targets, 0), GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** True when this JVM refused {@link Thread#stop()} (Java 20 and later): busy loops then can't be ended. */
    public boolean stopUnsupported() {
        return stopUnsupported;
    }

    // Code that catches Throwable can swallow one ThreadDeath, so stopping repeats while the thread lives.
    @SuppressWarnings({"deprecation", "removal"})
    private void stopWhileAlive(List<Thread> targets, int attempt) {
        boolean anyAlive = false;
        for (Thread t : targets) {
            if (t.isAlive() && active.contains(t)) {
                anyAlive = true;
                try {
                    t.stop();
                } catch (UnsupportedOperationException e) {
                    stopUnsupported = true;
                    return;
                }
            }
        }
        if (anyAlive && attempt + 1 < MAX_STOP_ATTEMPTS) {
            stopper.schedule(() -> stopWhileAlive(targets, attempt + 1), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
