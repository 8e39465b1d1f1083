package org.circuitscope.kernel.protocol;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps interrupts out of ZeroMQ sends. JeroMQ wakes its I/O thread through an NIO pipe; a thread interrupted while
 * it writes there closes the pipe for good ({@code ZMQException: Errno 4}) and the kernel's socket with it. So a
 * worker thread never sends with its interrupt flag raised (the flag is put aside for the send and restored after),
 * and the kernel interrupts or stops a worker only while no send is under way.
 */
public final class SocketGuard {
    private final ReentrantLock lock = new ReentrantLock();

    /** Runs a socket send with the current thread's interrupt flag put aside. */
    public void send(Runnable send) {
        lock.lock();
        boolean interrupted = Thread.interrupted();
        try {
            send.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            lock.unlock();
        }
    }

    /** Runs {@code action} (an interrupt or stop of a worker) between sends, never during one. */
    public void between(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
