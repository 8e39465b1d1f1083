package org.circuitscope.kernel;

import java.util.function.BooleanSupplier;

/**
 * Whether the user interrupted the running cell, for code that polls (progress bars, magics). The circuitscope
 * kernel installs its own answer; in other kernels the flag is the current thread's interrupt status.
 */
public final class CellInterrupts {
    private static volatile BooleanSupplier source = () -> false;

    private CellInterrupts() {
    }

    static void install(BooleanSupplier interruptRequested) {
        source = interruptRequested;
    }

    public static boolean requested() {
        return source.getAsBoolean() || Thread.currentThread().isInterrupted();
    }
}
