package org.circuitscope.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.Organism;

/**
 * A model as the bytes of its ONNX file, broadcast to every executor, which loads it once ({@link #lease}), shares
 * it between the tasks it runs and keeps it for later jobs on the same file: forward passes hold no state in the
 * model, each task opens (and closes) its own native arrays.
 */
public record ModelBytes(String name, byte[] onnx) implements Serializable {

    public static ModelBytes organism() {
        return new ModelBytes(Models.DEFAULT, Organism.onnxBytes());
    }

    public static ModelBytes onnx(Path file) {
        String n = file.getFileName().toString();
        return new ModelBytes(n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n, Models.readFile(file));
    }

    /** Loads the model as the single-JVM path does (the file's own preprocessing). */
    public Model load() {
        return Model.fromOnnx(onnx, name, null);
    }

    /**
     * A loaded model and how many tasks are using it; closed once it has left the cache (evicted, or the jobs
     * closed) and no task uses it any more.
     */
    private static final class Entry {
        final Model model;
        int users;
        boolean dropped;

        Entry(Model model) {
            this.model = model;
        }

        void closeIfDone() {
            if (dropped && users == 0) {
                model.close();
            }
        }
    }

    /** How many loaded models a JVM keeps between jobs, least recently used dropped first. */
    static final int KEPT = 4;

    // Keyed by the file's content, not by the broadcast: every job broadcasts its model anew, and loading it (parsing
    // the file, building the graph, opening ONNX Runtime sessions) for every job cost about 0.4 s a job, which kept
    // Spark local[2] at 1.66x local[1] on SqueezeNet. A model is kept for the next job on the same file.
    private static final LinkedHashMap<String, Entry> LOADED = new LinkedHashMap<>(8, 0.75f, true);
    private static final Map<byte[], String> KEYS = new WeakHashMap<>();
    private static final AtomicLong LOADS = new AtomicLong();

    static {
        // an executor JVM of a cluster closes its models when it ends
        Runtime.getRuntime().addShutdownHook(new Thread(ModelBytes::closeAll, "circuitscope-models"));
    }

    /** The content key of these bytes (SHA-256 with the name), computed once per deserialised copy. */
    String key() {
        synchronized (KEYS) {
            return KEYS.computeIfAbsent(onnx, b -> {
                try {
                    return name + "@" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static Entry entry(ModelBytes bytes) {
        String key = bytes.key();
        Entry e = LOADED.get(key);
        if (e == null) {
            e = new Entry(bytes.load());
            LOADS.incrementAndGet();
            LOADED.put(key, e);
            while (LOADED.size() > KEPT) {
                Iterator<Entry> oldest = LOADED.values().iterator();
                Entry out = oldest.next();
                oldest.remove();
                out.dropped = true;
                out.closeIfDone();
            }
        }
        return e;
    }

    /** This JVM's copy of the model, loaded on first use (the driver's, before a job runs). */
    static Model loaded(ModelBytes bytes) {
        synchronized (LOADED) {
            return entry(bytes).model;
        }
    }

    /**
     * A task's use of this JVM's copy of the model: while a lease is open the model is not closed, even when it
     * leaves the cache (a job that failed can end while its other tasks still run).
     */
    static Lease lease(ModelBytes bytes) {
        synchronized (LOADED) {
            Entry e = entry(bytes);
            e.users++;
            return new Lease(e, TaskThreads.claim());
        }
    }

    /** See {@link #lease}. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;
        private final int threadsBefore;
        private boolean closed;

        private Lease(Entry entry, int threadsBefore) {
            this.entry = entry;
            this.threadsBefore = threadsBefore;
        }

        Model model() {
            return entry.model;
        }

        @Override
        public void close() {
            synchronized (LOADED) {
                if (closed) {
                    return;
                }
                closed = true;
                TaskThreads.restore(threadsBefore);
                entry.users--;
                entry.closeIfDone();
            }
        }
    }

    /** Drops every kept model of this JVM (the jobs closed, or the JVM ending): closed now, or by its last task. */
    static void closeAll() {
        synchronized (LOADED) {
            for (Entry e : LOADED.values()) {
                e.dropped = true;
                e.closeIfDone();
            }
            LOADED.clear();
        }
    }

    /** How many tasks of this JVM hold a model now (a test checks that a finished job leaves none). */
    static int inUse() {
        synchronized (LOADED) {
            return LOADED.values().stream().mapToInt(e -> e.users).sum();
        }
    }

    /** How many times this JVM has loaded a model from bytes (a test checks that the next job reuses it). */
    static long loads() {
        return LOADS.get();
    }

    /** How many models this JVM keeps for running or later tasks (at most {@link #KEPT}). */
    static int loadedCount() {
        synchronized (LOADED) {
            return LOADED.size();
        }
    }
}
