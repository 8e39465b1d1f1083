package org.circuitscope.magics.activations;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageSource;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.ModelException;

/**
 * {@code %activations [model] <source> --layers L1,L2 [--reduce max|mean|center|none] [--limit N] [--batch N]
 * [--resize N] [--label-regex R] [--wide] [--as acts]}: a model's activations over an image source as a table,
 * shown as HTML; with {@code --as}, the table (long form, or wide with {@code --wide}) is also stored in a notebook
 * variable of that name ({@code tech.tablesaw.api.Table}) and the whole result in {@code <name>Result}.
 */
public final class ActivationsMagic implements Magic {
    static final Set<String> OPTIONS = Set.of("layers", "reduce", "limit", "batch", "resize", "label-regex", "as");
    static final Set<String> FLAGS = Set.of("wide");

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public String help() {
        return "activations over images as a table: %activations [model] <folder|cifar10:file|curves?..|world> "
                + "--layers L1,L2 [--reduce max|mean|center|none] [--limit N] [--as acts]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, FLAGS);
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw new MagicException("%activations needs one image source (a folder, cifar10:<file>, a stimulus "
                    + "kind or world), then --layers");
        }
        a.noMoreThan(chosen.rest(), 1);
        if (!a.has("layers")) {
            throw new MagicException("%activations needs --layers L1,L2 (see %model layers for the names)");
        }
        List<String> layers = new ArrayList<>();
        for (String l : a.get("layers").split(",")) {
            if (!l.isBlank()) {
                layers.add(l.trim());
            }
        }
        if (layers.isEmpty()) {
            throw a.error("--layers needs at least one layer name, e.g. --layers conv1,conv2");
        }
        String var = a.variable("as");
        ActivationResult result;
        try {
            Reduce reduce = Reduce.parse(a.get("reduce", "max"));
            int batch = a.getInt("batch", 32, 1, 1024);
            int limit = a.getInt("limit", -1, 1, Integer.MAX_VALUE);
            var dictionaries = org.circuitscope.magics.LoadedDictionaries.of(context.session()).all();
            for (String l : layers) {
                // a layer, or a layer seen through a dictionary (conv3/sae: a column per feature)
                if (org.circuitscope.model.Unit.dictionaryView(l, dictionaries) == null) {
                    chosen.model().layers().get(l);
                }
            }
            ImageSource source = Sources.parse(name(), chosen.rest().get(0), chosen.model(), a.get("label-regex"),
                    a.getInt("resize", 0, 1, org.circuitscope.model.Limits.maxInputSide()));
            result = Activations.of(chosen.model()).dictionaries(dictionaries).layers(layers).reduce(reduce).batchSize(batch).limit(limit)
                    .run(source, context.progress("activations"));
            Sources.requireImages(name(), source, result.images(), result.partial());
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
        if (var != null) {
            context.setVariable(var, "tech.tablesaw.api.Table", a.flag("wide") ? result.wide() : result.table());
            context.setVariable(var + "Result", ActivationResult.class.getName(), result);
        }
        return result;
    }
}
