package org.circuitscope.kernel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.circuitscope.atlas.Atlas;
import org.circuitscope.atlas.ClusterPasses;
import org.circuitscope.data.ImageSource;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.activations.Sources;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;

/**
 * {@code java -jar circuitscope-kernel.jar atlas --model M --data D --layers a,b --out DIR [options]}: writes (or
 * completes) the static atlas of a model ({@link Atlas}) from the command line. The data are named as in a magic's
 * line (a folder of images, {@code cifar10:FILE}, {@code world:N}); the model as {@code %model} names it (an
 * embedded name, a zoo name or a file).
 */
final class AtlasCommand {
    static final String USAGE = "java -jar circuitscope-kernel.jar atlas --out DIR [--model organism] "
            + "[--data world:500] [--layers a,b,...] [--steps 64] [--size PX] [--examples 6] [--units N] "
            + "[--images N] [--diversity N] [--levels 8] [--census] [--dictionary FILE[,FILE...]] [--no-neuron] "
            + "[--no-negative] [--no-tuning] [--master SPARK-URL]";

    private AtlasCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String model = Models.DEFAULT;
        String data = null;
        String master = null;
        String layers = null;
        String dir = null;
        Integer steps = null;
        Integer size = null;
        Integer examples = null;
        Integer units = null;
        Integer images = null;
        int diversity = 0;
        boolean negative = true;
        boolean tuning = true;
        boolean neuron = true;
        boolean census = false;
        Integer levels = null;
        List<String> dictionaries = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println("usage: " + USAGE);
                        return 0;
                    }
                    case "--no-negative" -> {
                        negative = false;
                        continue;
                    }
                    case "--no-tuning" -> {
                        tuning = false;
                        continue;
                    }
                    case "--no-neuron" -> {
                        neuron = false;
                        continue;
                    }
                    case "--census" -> {
                        census = true;
                        continue;
                    }
                    default -> {
                    }
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--model" -> model = v;
                    case "--data" -> data = v;
                    case "--master" -> master = v;
                    case "--layers" -> layers = v;
                    case "--out" -> dir = v;
                    case "--steps" -> steps = number(a, v);
                    case "--size" -> size = number(a, v);
                    case "--examples" -> examples = number(a, v);
                    case "--units" -> units = number(a, v);
                    case "--images" -> images = number(a, v);
                    case "--diversity" -> diversity = number(a, v);
                    case "--levels" -> levels = number(a, v);
                    case "--dictionary" -> Arrays.stream(v.split(",")).map(String::trim).filter(f -> !f.isEmpty())
                            .forEach(dictionaries::add);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("--out DIR is required (where the site goes)");
            }
            if (data == null && model.equals(Models.DEFAULT)) {
                data = "world:500";
            }
            try (Model m = Models.load(model)) {
                Atlas atlas = Atlas.of(m).negative(negative).diversity(diversity).neuron(neuron).census(census);
                if (levels != null) {
                    atlas.levels(levels);
                }
                for (String f : dictionaries) {
                    atlas.dictionary(dictionary(f));
                }
                if (!tuning) {
                    atlas.tuning(null);
                }
                if (layers != null) {
                    atlas.layers(Arrays.stream(layers.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .toList());
                }
                if (master != null && data == null) {
                    throw new IllegalArgumentException("--master " + master + " runs the dataset passes on Spark: "
                            + "give --data too (the images they read)");
                }
                ImageSource source = data != null ? Sources.parse("atlas", data, m, null, 0) : null;
                if (source != null) {
                    atlas.data(source);
                }
                if (steps != null) {
                    atlas.steps(steps);
                }
                if (size != null) {
                    atlas.size(size);
                }
                if (examples != null) {
                    atlas.examples(examples);
                }
                if (units != null) {
                    atlas.units(units);
                }
                if (images != null) {
                    atlas.images(images);
                }
                List<String> names = atlas.layerNames();
                out.println("atlas of " + m.name() + ": layers " + String.join(", ", names) + " into " + dir
                        + (master != null ? "; dataset passes on Spark at " + master : ""));
                Atlas.AtlasSite site;
                if (master != null && source != null) {
                    try (ClusterPasses.Session cluster = cluster().open(master, model,
                            images != null ? source.limit(images) : source)) {
                        site = atlas.passes(cluster.passes()).write(Path.of(dir), new Lines(out));
                    }
                } else {
                    site = atlas.write(Path.of(dir), new Lines(out));
                }
                out.println(site);
                return site.interrupted() ? 1 : 0;
            }
        } catch (MagicException | IllegalArgumentException | ModelException e) {
            err.println("atlas: " + e.getMessage());
            return 2;
        }
    }

    /** The cluster engine on the class path (the Spark module's), or a message saying how to put it there. */
    private static ClusterPasses cluster() {
        return ClusterPasses.find().orElseThrow(() -> new IllegalArgumentException("--master needs the Spark "
                + "module on the class path: java $(spark.opens) -cp circuitscope-kernel.jar:circuitscope-spark.jar:"
                + "<its dependencies> org.circuitscope.kernel.KernelMain atlas --master URL ... (README, \"On a cluster\")"));
    }

    private static FeatureDictionary dictionary(String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("--dictionary " + file + ": no such file");
        }
        try {
            return FeatureDictionary.load(p);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("--dictionary " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    static int number(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + v + "'");
        }
    }

    /** Progress as a line every few seconds (a terminal or a CI log). */
    private static final class Lines implements Progress {
        private final PrintStream out;
        private long last;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void update(long done, long total, String status) {
            long now = System.nanoTime();
            if (now - last > 5_000_000_000L) {
                last = now;
                out.println(String.format(Locale.ROOT, "  %d/%d units: %s", done, total, status));
            }
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }
}
