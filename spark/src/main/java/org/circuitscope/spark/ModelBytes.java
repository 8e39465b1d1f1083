package org.circuitscope.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.Organism;

/**
 * A model as the bytes of its ONNX file, broadcast once to every executor, which loads it once
 * ({@link #lease}) and shares it between the tasks it runs: forward passes hold no state in the model, each task
 * opens (and closes) its own native arrays.
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

    /** A loaded model and how many tasks are using it; closed when released and no task uses it any more. */
    private static final class Entry {
        final Model model;
        int users;
        boolean released;

        Entry(Model model) {
            this.model = model;
        }
    }

    private static final Map<Long, Entry> LOADED = new HashMap<>();

    static {
        // an executor JVM of a cluster closes its models when it ends
        Runtime.getRuntime().addShutdownHook(new Thread(ModelBytes::closeAll, "circuitscope-models"));
    }

    /** This JVM's copy of the broadcast model {@code id}, loaded on first use (the driver's, before a job runs). */
    static Model loaded(long id, ModelBytes bytes) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(id, k -> new Entry(bytes.load())).model;
        }
    }

    /**
     * A task's use of this executor's copy of model {@code id}: while a lease is open the model is not closed, even
     * when the job that broadcast it ends (a job that failed can end while its other tasks still run).
     */
    static Lease lease(long id, ModelBytes bytes) {
        synchronized (LOADED) {
            Entry e = LOADED.computeIfAbsent(id, k -> new Entry(bytes.load()));
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
                if (entry.released && entry.users == 0) {
                    entry.model.close();
                }
            }
        }
    }

    /**
     * Releases this JVM's copy of broadcast {@code id} (the driver, in local mode, when a job is done): closed now,
     * or by the last task still using it.
     */
    static void close(long id) {
        synchronized (LOADED) {
            Entry e = LOADED.remove(id);
            if (e != null) {
                e.released = true;
                if (e.users == 0) {
                    e.model.close();
                }
            }
        }
    }

    static void closeAll() {
        List<Long> ids;
        synchronized (LOADED) {
            ids = new ArrayList<>(LOADED.keySet());
        }
        ids.forEach(ModelBytes::close);
    }

    /** How many models this JVM holds for running or future tasks (a test checks that a finished job leaves none). */
    static int loadedCount() {
        synchronized (LOADED) {
            return LOADED.size();
        }
    }
}
