package org.circuitscope.kernel.jshell;

import java.util.Set;

/**
 * Where a cell's own code can be stopped. Every snippet class is woven ({@link CheckpointWeaver}) with a call to
 * {@link #check()} at each method entry and before each backward jump, so a busy loop typed in a cell ends on any
 * JDK: {@code Thread.stop}, which the kernel used before, does nothing from JDK 20 on. While no stop is asked for, a
 * check is one volatile read.
 */
public final class CellCheckpoint {
    /** The threads to stop now, or null. */
    private static volatile Set<Thread> stopping;

    private CellCheckpoint() {
    }

    /** Called from woven snippet code: throws when the current thread is one being stopped. */
    public static void check() {
        Set<Thread> s = stopping;
        if (s != null && s.contains(Thread.currentThread())) {
            throw new CellStoppedError();
        }
    }

    /** Adds threads to stop (a cell's snippet and magic threads may be forced at different times). */
    static synchronized void stop(java.util.Collection<Thread> threads) {
        Set<Thread> all = new java.util.HashSet<>(threads);
        Set<Thread> s = stopping;
        if (s != null) {
            all.addAll(s);
        }
        stopping = Set.copyOf(all);
    }

    static synchronized void clear() {
        stopping = null;
    }
}
