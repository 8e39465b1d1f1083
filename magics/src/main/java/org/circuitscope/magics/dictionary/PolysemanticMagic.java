package org.circuitscope.magics.dictionary;

import java.util.List;
import java.util.Set;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.Polysemantic;
import org.circuitscope.magics.LoadedDictionaries;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.circuit.DataSources;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;

/**
 * {@code %polysemantic [model] (layer:channel | layer) [--dictionary NAME] [--data ..] [--images N] [--examples E]
 * [--clusters K] [--vis-steps V] [--features F] [--feature-examples E] [--as VAR]}: a neuron unfolded by a
 * dictionary learnt on its layer: the features that make it up (their shares of its value), a polysemanticity
 * score (the effective number of features), and its top dataset examples clustered by the layer's activation
 * pattern (k-means) as facets, beside a diversity visualisation. Given a layer instead of a neuron, the layer's most
 * polysemantic channel on the data (the highest score among channels positive on at least 1% of the sampled
 * positions). {@code --features F} adds the F features of largest share, each with its visualisation and top
 * examples. Without {@code --dictionary}, the session's one dictionary on that layer of that model.
 */
public final class PolysemanticMagic implements Magic {
    static final Set<String> OPTIONS = Set.of("dictionary", "data", "images", "examples", "clusters", "vis-steps",
            "features", "feature-examples", "as");

    @Override
    public String name() {
        return "polysemantic";
    }

    @Override
    public String help() {
        return "a neuron as a mixture of dictionary features, with its examples in clusters: %polysemantic [model] "
                + "(layer:channel|layer) [--dictionary NAME] [--clusters 3] [--examples 24] [--features F] [--as VAR]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, Set.of());
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw a.error("needs a neuron's channel, e.g. %polysemantic conv3:5");
        }
        a.noMoreThan(chosen.rest(), 1);
        String var = a.variable("as");
        Model model = chosen.model();
        try {
            String target = chosen.rest().get(0);
            int images = a.getInt("images", 64, 1, 100_000);
            int features = a.getInt("features", 0, 0, 64);
            int featureExamples = a.getInt("feature-examples", 4, 0, 32);
            int visSteps = a.getInt("vis-steps", 64, 0, 10_000);
            org.circuitscope.data.ImageSource source = DataSources.parse(a.get("data"), model, images, name());
            Unit.Channel neuron;
            FeatureDictionary d;
            if (!target.contains(":") && model.layers().contains(target)) {
                // a layer: its most polysemantic channel on a sample of the data
                String layer = model.layers().get(target).name();
                d = dictionary(a, LoadedDictionaries.of(context.session()), model, Unit.channel(layer, 0));
                neuron = Polysemantic.mostPolysemantic(model, d, source, images, context.progress("sampling "
                        + layer));
            } else {
                Unit u = Unit.parse(target);
                if (!(u instanceof Unit.Channel c)) {
                    throw a.error("unfolds a channel (layer:channel) or the most polysemantic channel of a layer, "
                            + "not " + target);
                }
                neuron = c;
                d = dictionary(a, LoadedDictionaries.of(context.session()), model, neuron);
            }
            Polysemantic p = Polysemantic.of(model, neuron, d, source, images, a.getInt("examples", 24, 1, 512),
                    a.getInt("clusters", 3, 1, 16), visSteps, context.progress("polysemantic " + neuron));
            if (features > 0) {
                p = p.withFeatures(model, features, source, featureExamples, visSteps,
                        context.progress("features of " + neuron));
            }
            if (var != null) {
                context.setVariable(var, Polysemantic.class.getName(), p);
            }
            return p;
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
    }

    private static FeatureDictionary dictionary(MagicArgs a, LoadedDictionaries registry, Model model, Unit.Channel neuron)
            throws MagicException {
        if (a.has("dictionary")) {
            return registry.get(a.get("dictionary"));
        }
        String layer = model.layers().get(neuron.layer()).name();
        // a dictionary learnt on a layer of the same name in another model is not this neuron's
        List<FeatureDictionary> on = registry.all().values().stream()
                .filter(d -> d.model().equals(model.name()) && model.layers().contains(d.layer())
                        && model.layers().get(d.layer()).name().equals(layer))
                .toList();
        if (on.size() == 1) {
            return on.get(0);
        }
        throw a.error(on.isEmpty() ? "no dictionary on " + layer + ": learn one first (%dictionary " + layer
                + " --as sae)" : "several dictionaries on " + layer + " (" + on.stream().map(FeatureDictionary::name)
                .toList() + "): choose one with --dictionary NAME");
    }
}
