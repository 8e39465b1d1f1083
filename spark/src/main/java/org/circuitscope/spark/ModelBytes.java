package org.circuitscope.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.Organism;

/**
 * A model as the bytes of its ONNX file, broadcast once to every executor, which loads it once
 * ({@link #loaded}) and shares it between the tasks it runs: forward passes hold no state in the model, each task
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

    private static final Map<Long, Model> LOADED = new ConcurrentHashMap<>();

    static {
        // an executor JVM of a cluster closes its models when it ends
        Runtime.getRuntime().addShutdownHook(new Thread(ModelBytes::closeAll, "circuitscope-models"));
    }

    /** This executor's copy of the broadcast model {@code id}, loaded on first use. */
    static Model loaded(long id, ModelBytes bytes) {
        return LOADED.computeIfAbsent(id, k -> bytes.load());
    }

    /** Closes this JVM's loaded models of broadcast {@code id} (the driver, in local mode, when a job is done). */
    static void close(long id) {
        Model m = LOADED.remove(id);
        if (m != null) {
            m.close();
        }
    }

    static void closeAll() {
        LOADED.keySet().forEach(ModelBytes::close);
    }

    /** How many models this JVM holds (a test checks that a finished job leaves none). */
    static int loadedCount() {
        return LOADED.size();
    }
}
