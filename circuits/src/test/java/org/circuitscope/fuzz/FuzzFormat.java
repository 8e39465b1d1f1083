package org.circuitscope.fuzz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.circuitscope.model.InputSpec;

/**
 * One model format under fuzzing: the file extension it loads by, the well-formed seed files that mutations start
 * from, and hand-made malformed files that target what the format's reader checks. Adding a format to the fuzzer
 * is one more of these in {@link LoaderFuzzTest}.
 *
 * @param spec the preprocessing to load with (null: what the file says)
 */
public record FuzzFormat(String name, String extension, InputSpec spec, List<Seed> seeds, List<Crafted> crafted) {

    /** A well-formed file of the format. */
    public record Seed(String name, byte[] bytes) {
    }

    /** A malformed case: writes its file (and any files beside it) into {@code dir} and returns the model file. */
    public record Crafted(String name, Writer writer) {
    }

    @FunctionalInterface
    public interface Writer {
        Path write(Path dir) throws IOException;
    }
}
