package org.circuitscope.kernel;

import java.util.Locale;
import java.util.Set;

/**
 * How much the libraries under the kernel (DJL, JJava's socket loops, ZeroMQ, the Maven resolver) log. By default only
 * their errors reach the server terminal, and nothing reaches a notebook: DJL warns "Failed to detect GPU count" on
 * every CPU-only start and JJava logs "Loop started" per socket, none of which a notebook reader can act on. The
 * environment variable {@code CIRCUITSCOPE_LOG} (or system property {@code circuitscope.log}) turns logging up:
 * {@code warn}, {@code info}, {@code debug} or {@code trace} ({@code off} silences errors too).
 */
public final class LibraryLogging {
    public static final String VARIABLE = "CIRCUITSCOPE_LOG";
    public static final String PROPERTY = "circuitscope.log";
    static final String DEFAULT_LEVEL = "error";
    private static final Set<String> LEVELS = Set.of("off", "error", "warn", "info", "debug", "trace");

    private LibraryLogging() {
    }

    /** The level asked for, or null when the user asked for none. */
    static String requested() {
        String level = System.getProperty(PROPERTY);
        if (level == null || level.isBlank()) {
            level = System.getenv(VARIABLE);
        }
        if (level == null || level.isBlank()) {
            return null;
        }
        String l = level.strip().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            System.err.println(VARIABLE + "=" + level + " is not a level; use one of off, error, warn, info, debug, "
                    + "trace. Logging errors only.");
            return null;
        }
        return l;
    }

    /** Our kernel (slf4j-simple on its class path): set before the first logger exists, i.e. first thing in main. */
    static void configureKernel() {
        String level = requested();
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level != null ? level : DEFAULT_LEVEL);
    }

    /**
     * Another JJava kernel: the engine's slf4j finds no binding there (the kernel's own is out of reach of the
     * notebook's class loader), and slf4j's three-line "No SLF4J providers were found" warning would land in the
     * first cell that touches DJL. Unless the user asked for logs (and so will add a binding), that warning is off.
     */
    static void configureExtension() {
        if (requested() == null && System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }
}
