package org.circuitscope.magics.universality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.census.PeriodicTable;
import org.circuitscope.census.Similarity;
import org.circuitscope.data.ImageSource;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.circuit.DataSources;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;

/**
 * {@code %universality [models...] [--layers model=layer,...] [--data imagenet|world|cifar10|DIR] [--images N]
 * [--depth 0.3] [--control] [--featurevis STEPS] [--as t]}: the periodic table of visual features over the models
 * (loaded models by name, or zoo names and files, loaded for the call and closed after; none: every loaded model),
 * each censused at a comparable depth unless its layer is given, with the data set's statistics; {@code --control}
 * adds the first model with its weights shuffled.
 *
 * <p>{@code %universality a b --match [--layers a=conv3/sae1,b=conv3] [--grid 3]}: instead of the table, the
 * {@link Similarity} of the first two models' layers (each at comparable depth unless given) at matched
 * receptive-field positions against the shuffled-weights and shuffled-images controls; a layer written
 * {@code layer/NAME} with {@code NAME} a dictionary registered by {@code %dictionary ... --as NAME} is matched by
 * that dictionary's features.
 */
public final class UniversalityMagic implements Magic {
    static final Set<String> OPTIONS = Set.of("layers", "data", "images", "depth", "featurevis", "grid", "as");
    static final Set<String> FLAGS = Set.of("control", "match");

    @Override
    public String name() {
        return "universality";
    }

    @Override
    public String help() {
        return "periodic table of visual features across models: %universality [models...] [--layers m=layer,...] "
                + "[--data imagenet|world|DIR] [--images 100] [--depth 0.3] [--control] [--featurevis 64] [--as t]; "
                + "%universality a b --match [--layers a=conv3/sae,b=conv3] [--grid 3]: units or dictionary features "
                + "matched across two models against controls";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, FLAGS);
        String var = a.variable("as");
        int images = a.getInt("images", 100, 10, 100_000);
        double depth = a.getDouble("depth", PeriodicTable.DEPTH, 0.01, 1);
        int steps = a.getInt("featurevis", 0, 0, 2048);
        LoadedModels loaded = LoadedModels.of(context.session());
        List<Model> models = new ArrayList<>();
        List<Model> opened = new ArrayList<>();
        try {
            List<String> names = a.positionals();
            if (names.isEmpty()) {
                if (loaded.all().isEmpty()) {
                    loaded.get(null);
                }
                models.addAll(loaded.all().values());
            }
            for (String n : names) {
                if (loaded.has(n)) {
                    models.add(loaded.get(n));
                } else {
                    Model m;
                    try {
                        m = Models.load(n);
                    } catch (ModelException e) {
                        throw new MagicException("%universality: '" + n + "' is neither a loaded model ("
                                + String.join(", ", loaded.all().keySet()) + ") nor one to load: " + e.getMessage());
                    }
                    opened.add(m);
                    models.add(m);
                }
            }
            var dictionaries = org.circuitscope.magics.LoadedDictionaries.of(context.session()).all();
            if (a.flag("match")) {
                if (models.size() != 2 || a.flag("control")) {
                    throw new MagicException("%universality --match compares two models (it runs its own controls); "
                            + "got " + models.size() + (a.flag("control") ? " and --control" : ""));
                }
                Map<String, String> sides = layers(a.get("layers"), models, dictionaries);
                String la = sides.getOrDefault(models.get(0).name(), PeriodicTable.comparableLayer(models.get(0),
                        depth));
                String lb = sides.getOrDefault(models.get(1).name(), PeriodicTable.comparableLayer(models.get(1),
                        depth));
                int grid = a.getInt("grid", Similarity.GRID, 1, 16);
                ImageSource data = DataSources.parse(a.get("data"), models.get(0), images, name());
                Similarity sim = Similarity.of(models.get(0), la, models.get(1), lb, dictionaries, data, grid, 1,
                        context.progress("matching " + la + " and " + lb));
                if (var != null) {
                    context.setVariable(var, Similarity.class.getName(), sim);
                }
                return sim;
            }
            if (a.flag("control")) {
                Model control = models.get(0).withShuffledWeights(1);
                opened.add(control);
                models.add(control);
            }
            Map<String, String> layers = layers(a.get("layers"), models, Map.of());
            ImageSource data = DataSources.parse(a.get("data"), models.get(0), images, name());
            PeriodicTable.Builder b = PeriodicTable.of(models, data).layers(layers).depth(depth);
            if (steps > 0) {
                b.featureVis(steps);
            }
            PeriodicTable table = b.run(context.progress("periodic table of " + models.size() + " models"));
            if (var != null) {
                context.setVariable(var, PeriodicTable.class.getName(), table);
            }
            return table;
        } catch (MagicException e) {
            throw a.error(e.getMessage());
        } catch (ModelException | IllegalArgumentException e) {
            throw a.wrap(e);
        } finally {
            for (Model m : opened) {
                m.close();
            }
        }
    }

    /**
     * {@code model=layer,...} by model name, or plain layers in the order of the models; each layer must exist in
     * its model, or be {@code layer/NAME} for a dictionary of {@code dictionaries} learnt on that layer.
     */
    static Map<String, String> layers(String spec, List<Model> models,
                                      Map<String, ? extends org.circuitscope.model.Unit.FeatureBasis> dictionaries)
            throws MagicException {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        String[] parts = spec.split(",");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.lastIndexOf('=');
            Model m;
            String layer;
            if (eq > 0) {
                String name = p.substring(0, eq);
                m = models.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                        new MagicException("%universality: --layers names model '" + name + "', which is not in "
                                + "the table (" + String.join(", ", models.stream().map(Model::name).toList())
                                + ")"));
                layer = p.substring(eq + 1);
            } else {
                if (i >= models.size()) {
                    throw new MagicException("%universality: --layers gives " + parts.length + " layers for "
                            + models.size() + " models");
                }
                m = models.get(i);
                layer = p;
            }
            var view = org.circuitscope.model.Unit.dictionaryView(layer, dictionaries);
            if (view != null) {
                if (!m.layers().contains(view.layer())) {
                    throw new MagicException("%universality: dictionary '" + layer + "' was learnt on layer '"
                            + view.layer() + "', which model " + m.name() + " does not have");
                }
                out.put(m.name(), layer);
                continue;
            }
            if (!m.layers().contains(layer)) {
                throw new MagicException("%universality: model " + m.name() + " has no layer '" + layer + "'"
                        + (layer.contains("/") && !dictionaries.isEmpty() ? " (nor is it a dictionary: registered "
                        + String.join(", ", dictionaries.keySet()) + ")" : ""));
            }
            out.put(m.name(), m.layers().get(layer).name());
        }
        return out;
    }
}
