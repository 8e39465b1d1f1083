package org.circuitscope.magics.dictionary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.circuitscope.data.ImageSource;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.DictionarySheet;
import org.circuitscope.magics.LoadedDictionaries;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.circuit.DataSources;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;

/**
 * {@code %dictionary [model] layer [--method sae|nmf|pca] [--size M] [--k K] [--data world|imagenet|DIR]
 * [--images N] [--positions P] [--steps S] [--seed S] [--features F] [--examples E] [--vis-steps V]
 * [--save PATH|beside] [--as NAME]}: learns a dictionary on a layer's activation vectors, registers it under
 * {@code NAME} (default the method, e.g. {@code sae}) so that {@code layer/NAME:index} is a unit in every magic,
 * and shows its quality and a sheet of its most active features (a visualisation and top dataset examples each).
 * {@code %dictionary --load PATH [--as NAME]} registers a saved one.
 */
public final class DictionaryMagic implements Magic {
    static final Set<String> OPTIONS = Set.of("method", "size", "k", "data", "images", "positions", "steps", "seed",
            "features", "examples", "vis-steps", "save", "load", "as");

    @Override
    public String name() {
        return "dictionary";
    }

    @Override
    public String help() {
        return "learn a dictionary of features on a layer: %dictionary [model] layer [--method sae|nmf|pca] "
                + "[--size M] [--k K] [--data ..] [--images N] [--as NAME]; then layer/NAME:index is a unit";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, Set.of());
        String var = a.variable("as");
        LoadedDictionaries registry = LoadedDictionaries.of(context.session());
        if (a.has("load")) {
            if (!a.positionals().isEmpty()) {
                throw a.error("--load takes the dictionary from its file; give no layer (got " + a.positionals()
                        + ")");
            }
            FeatureDictionary d;
            try {
                d = FeatureDictionary.load(Path.of(a.get("load")));
            } catch (IOException e) {
                throw a.error("cannot read a dictionary from " + a.get("load") + ": " + e.getMessage());
            }
            if (var != null) {
                d = d.named(var);
            }
            LoadedModels models = LoadedModels.of(context.session());
            registry.add(d, models.has(d.model()) ? models.get(d.model()) : null);
            bind(context, var, d);
            return d;
        }
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw a.error("needs a layer, e.g. %dictionary conv3 --method sae --as sae");
        }
        a.noMoreThan(chosen.rest(), 1);
        Model model = chosen.model();
        String layer = chosen.rest().get(0);
        try {
            FeatureDictionary.Method method = FeatureDictionary.Method.parse(a.get("method", "sae"));
            int channels = (int) model.layers().get(layer).channels();
            int size = a.getInt("size", 0, 1, 1 << 16);
            int k = a.getInt("k", 0, 1, 1 << 16);
            if (a.has("k") && method != FeatureDictionary.Method.SAE) {
                throw a.error("--k is the sparse autoencoder's top-k; for " + method.id() + " give --size");
            }
            int images = a.getInt("images", 100, 1, 100_000);
            int positions = a.getInt("positions", 64, 1, 1 << 20);
            int steps = a.getInt("steps", 2000, 1, 10_000_000);
            long seed = a.getInt("seed", 1, 0, Integer.MAX_VALUE);
            int features = a.getInt("features", 6, 0, 64);
            int examples = a.getInt("examples", 4, 0, 32);
            int visSteps = a.getInt("vis-steps", 64, 0, 10_000);
            ImageSource source = DataSources.parse(a.get("data"), model, images, name());
            Progress progress = context.progress("dictionary " + method.id() + " on " + layer);
            FeatureDictionary d = FeatureDictionary.learning(model, layer).method(method).size(size).k(k).images(images)
                    .positions(positions).steps(steps).seed(seed).learn(source, progress);
            if (var != null) {
                d = d.named(var);
            }
            registry.add(d, model);
            bind(context, var, d);
            if (a.has("save")) {
                Path file = a.get("save").equals("beside") ? FeatureDictionary.fileBeside(model, d.layer(), d.name())
                        : Path.of(a.get("save"));
                d.save(file);
            }
            if (features == 0 || d.quality().partial()) {
                return d;
            }
            return DictionarySheet.mostActive(model, d, source, Math.min(images, 32), positions, seed + 1, features,
                    examples, visSteps, context.progress("features of " + d.name()));
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        } catch (IOException e) {
            throw a.error("cannot save the dictionary: " + e.getMessage());
        }
    }

    private static void bind(MagicContext context, String var, FeatureDictionary d) throws Exception {
        if (var != null) {
            context.setVariable(var, FeatureDictionary.class.getName(), d);
        }
    }
}
