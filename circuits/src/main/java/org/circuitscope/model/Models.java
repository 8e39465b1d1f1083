package org.circuitscope.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.circuitscope.progress.Progress;
import org.circuitscope.zoo.ModelZoo;
import org.circuitscope.zoo.ZooEntry;

/**
 * Loads models by file path or by name. Files: ONNX ({@code .onnx}), frozen TensorFlow graphs ({@code .pb}),
 * TensorFlow Lite ({@code .tflite}) and TorchScript ({@code .pt}).
 * Names: {@code organism} (the embedded default model, shipped inside circuitscope), {@code organism-seed8} (a
 * second training of it, for universality), {@code organism-superposition} (the same network with {@code conv4}
 * narrowed to 8 channels, fewer than the world's part types, so that it must superpose them; trained by
 * {@code train-organism --seed 7 --channels 16,32,48,8,64 --steps 2400}, see
 * {@link org.circuitscope.organism.TrainOrganism}) and the {@link ModelZoo}'s
 * entries ({@code inceptionv1}, {@code googlenet}), downloaded once and cached.
 */
public final class Models {
    public static final String DEFAULT = "organism";
    /** A second training of the organism (seed 8), shipped for universality: the same features, learned again. */
    public static final String SECOND_ORGANISM = "organism-seed8";
    /**
     * The organism with a layer narrower than the world has part types ({@code conv4}: 8 channels for the world's
     * {@link org.circuitscope.organism.World#parts()}), for superposition against ground truth.
     */
    public static final String SUPERPOSITION_ORGANISM = "organism-superposition";
    /** The models shipped inside circuitscope, each a resource {@code models/organism/<name>.onnx}. */
    public static final List<String> EMBEDDED = List.of(DEFAULT, SECOND_ORGANISM, SUPERPOSITION_ORGANISM);

    private Models() {
    }

    /** A model by zoo name or file path, with the preprocessing its file states. */
    public static Model load(String nameOrPath) {
        return load(nameOrPath, null);
    }

    /** A model by zoo name or file path; {@code spec} (may be null) overrides the preprocessing. */
    public static Model load(String nameOrPath, InputSpec spec) {
        String embedded = nameOrPath.trim().toLowerCase(Locale.ROOT);
        if (EMBEDDED.contains(embedded)) {
            // no zoo (and no download client) for the models inside the jar
            return embedded(embedded, spec);
        }
        return load(nameOrPath, spec, Progress.NONE, ModelZoo.standard());
    }

    /** As {@link #load(String, InputSpec)}, reporting download progress, with names looked up in {@code zoo}. */
    public static Model load(String nameOrPath, InputSpec spec, Progress progress, ModelZoo zoo) {
        String key = nameOrPath.trim();
        String embedded = key.toLowerCase(Locale.ROOT);
        if (EMBEDDED.contains(embedded)) {
            return embedded(embedded, spec);
        }
        Path p = Path.of(key);
        if (Files.exists(p)) {
            return loadFile(p, spec);
        }
        var entry = zoo.find(key);
        if (entry.isPresent()) {
            ZooEntry e = entry.get();
            Path file = zoo.fetch(e, progress);
            InputSpec chosen = spec != null ? spec : e.input();
            if (file.toString().endsWith(".pb")) {
                return Model.fromTensorFlow(file, e.name(), chosen, zoo.labels(e));
            }
            return Model.fromOnnx(file, e.name(), chosen, zoo.labels(e));
        }
        if (key.contains("/") || key.contains(".")) {
            throw new ModelException("no model file at " + p.toAbsolutePath());
        }
        throw new ModelException("unknown model '" + key + "': give a path to an .onnx, .pb, .tflite or .pt file, or one of "
                + "the "
                + "names: " + String.join(", ", EMBEDDED) + ", " + String.join(", ", zoo.entries().stream()
                .map(ZooEntry::name).toList()));
    }

    public static Model loadFile(Path file, InputSpec spec) {
        String n = file.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".onnx")) {
            return Model.fromOnnx(file, n.substring(0, n.length() - 5), spec);
        }
        if (lower.endsWith(".pb")) {
            return Model.fromTensorFlow(file, n.substring(0, n.length() - 3), spec, List.of());
        }
        if (lower.endsWith(".tflite")) {
            return Model.fromTfLite(file, n.substring(0, n.length() - 7), spec, List.of());
        }
        if (lower.endsWith(".pt") || lower.endsWith(".pth") || lower.endsWith(".torchscript")) {
            return Model.fromTorchScript(file, n.substring(0, n.lastIndexOf('.')), spec, List.of());
        }
        throw new ModelException("cannot tell the format of " + file + " from its name: circuitscope loads .onnx "
                + "(ONNX), .pb (frozen TensorFlow GraphDef), .tflite (TensorFlow Lite) and .pt (TorchScript) files");
    }

    /** The bytes of a model file; a missing or unreadable file is a ModelException that names it. */
    public static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException("no model file at " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Model embedded(String name, InputSpec spec) {
        return Model.fromOnnx(embeddedBytes(name), name, spec);
    }

    /** The ONNX bytes of a model shipped inside circuitscope ({@link #EMBEDDED}). */
    public static byte[] embeddedBytes(String name) {
        if (!EMBEDDED.contains(name)) {
            throw new ModelException("'" + name + "' is not a model shipped inside circuitscope; those are "
                    + String.join(", ", EMBEDDED));
        }
        String resource = "/org/circuitscope/models/organism/" + name + ".onnx";
        try (InputStream in = Models.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelException("the embedded model is missing from this build (" + resource + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelException("cannot read the embedded model: " + e.getMessage(), e);
        }
    }
}
