package org.circuitscope.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads models by file path or by name. Files: ONNX ({@code .onnx}). Names: {@code organism} (the embedded default
 * model, shipped inside circuitscope).
 */
public final class Models {
    public static final String DEFAULT = "organism";
    private static final String ORGANISM_RESOURCE = "/org/circuitscope/models/organism/organism.onnx";

    private Models() {
    }

    /** A model by zoo name or file path, with the preprocessing its file states. */
    public static Model load(String nameOrPath) {
        return load(nameOrPath, null);
    }

    /** A model by zoo name or file path; {@code spec} (may be null) overrides the preprocessing. */
    public static Model load(String nameOrPath, InputSpec spec) {
        String key = nameOrPath.trim();
        if (key.equalsIgnoreCase(DEFAULT)) {
            return organism(spec);
        }
        Path p = Path.of(key);
        if (Files.exists(p)) {
            return loadFile(p, spec);
        }
        if (key.contains("/") || key.contains(".")) {
            throw new ModelException("no model file at " + p.toAbsolutePath());
        }
        throw new ModelException("unknown model '" + key + "': give a path to an .onnx file, or one of the names: "
                + DEFAULT);
    }

    public static Model loadFile(Path file, InputSpec spec) {
        String n = file.getFileName().toString();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".onnx")) {
            return Model.fromOnnx(file, n.substring(0, n.length() - 5), spec);
        }
        throw new ModelException("cannot tell the format of " + file + " from its name: circuitscope loads .onnx "
                + "files");
    }

    private static Model organism(InputSpec spec) {
        try (InputStream in = Models.class.getResourceAsStream(ORGANISM_RESOURCE)) {
            if (in == null) {
                throw new ModelException("the embedded model is missing from this build (" + ORGANISM_RESOURCE + ")");
            }
            return Model.fromOnnx(in.readAllBytes(), DEFAULT, spec);
        } catch (IOException e) {
            throw new ModelException("cannot read the embedded model: " + e.getMessage(), e);
        }
    }
}
