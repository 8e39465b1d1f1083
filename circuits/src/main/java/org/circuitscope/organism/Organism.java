package org.circuitscope.organism;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The embedded default model: the organism network trained on the {@link World} and shipped as an ONNX resource,
 * so that a machine with no downloads still has a real network to study. Reproduce it with {@link TrainOrganism}.
 */
public final class Organism {

    /** The classpath resource of the trained network. */
    public static final String RESOURCE = "/org/circuitscope/models/organism/organism.onnx";

    /** The seed the committed network was trained with. */
    public static final long TRAINING_SEED = 7;

    private Organism() {
    }

    /** The trained network's ONNX bytes. */
    public static byte[] onnxBytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    /** A fresh stream over the trained network's ONNX bytes. */
    public static InputStream open() {
        InputStream in = Organism.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the organism model " + RESOURCE + " is not on the classpath");
        }
        return in;
    }
}
