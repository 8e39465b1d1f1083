package org.circuitscope.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.activations.Sources;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;

/**
 * {@code java -jar circuitscope-kernel.jar dictionary --layer L --out FILE [options]}: learns a
 * {@link FeatureDictionary} on one layer and saves it, for {@code atlas --dictionary FILE} (or
 * {@code FeatureDictionary.load} in a cell). The model and data are named as for {@code atlas}.
 */
final class DictionaryCommand {
    static final String USAGE = "java -jar circuitscope-kernel.jar dictionary --layer L --out FILE "
            + "[--model organism] [--data world:200] [--method sae|nmf|pca] [--size N] [--images 200] [--steps 3000]";

    private DictionaryCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String model = Models.DEFAULT;
        String data = null;
        String layer = null;
        String file = null;
        String method = "sae";
        Integer size = null;
        Integer images = null;
        Integer steps = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    out.println("usage: " + USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--model" -> model = v;
                    case "--data" -> data = v;
                    case "--layer" -> layer = v;
                    case "--out" -> file = v;
                    case "--method" -> method = v;
                    case "--size" -> size = AtlasCommand.number(a, v);
                    case "--images" -> images = AtlasCommand.number(a, v);
                    case "--steps" -> steps = AtlasCommand.number(a, v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (layer == null || file == null) {
                throw new IllegalArgumentException("--layer L and --out FILE are required");
            }
            if (data == null && model.equals(Models.DEFAULT)) {
                data = "world:200";
            }
            if (data == null) {
                throw new IllegalArgumentException("--data is required for model " + model);
            }
            FeatureDictionary.Method m = FeatureDictionary.Method.parse(method);
            try (Model loaded = Models.load(model)) {
                FeatureDictionary.Learning learning = FeatureDictionary.learning(loaded, layer).method(m);
                if (size != null) {
                    learning.size(size);
                }
                if (images != null) {
                    learning.images(images);
                }
                if (steps != null) {
                    learning.steps(steps).iterations(steps);
                }
                FeatureDictionary d = learning.learn(Sources.parse("dictionary", data, loaded, null, 0),
                        Progress.NONE);
                d.save(Path.of(file));
                out.println(d + " saved to " + file);
                return 0;
            }
        } catch (MagicException | IllegalArgumentException | ModelException e) {
            err.println("dictionary: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("dictionary: cannot write " + file + ": " + e.getMessage());
            return 2;
        }
    }
}
