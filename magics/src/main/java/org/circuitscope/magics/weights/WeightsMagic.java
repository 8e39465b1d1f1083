package org.circuitscope.magics.weights;

import java.util.List;
import java.util.Set;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.dictionary.VirtualWeights;
import org.circuitscope.weights.KernelView;
import org.circuitscope.weights.UnitWeights;
import org.circuitscope.weights.Weights;

/**
 * {@code %weights [model] layer:channel [--from layer] [--top 12] [--thumbs fv|examples|none] [--input i]
 * [--as VAR]}: a unit's strongest inputs as weight heatmaps (its convolution's kernels, or expanded weights from
 * {@code --from}), or with {@code --input i} the one kernel from input channel i, as a heatmap and a table. Into a
 * dictionary feature ({@code conv3/sae:5}), or from one ({@code --from conv2/sae}): virtual weights, the lower
 * dictionary's decoder through the (linearised) path and the upper one's encoder, as k×k heatmaps.
 */
public final class WeightsMagic implements Magic {
    private static final Set<String> OPTIONS = Set.of("from", "top", "thumbs", "input", "as", "data", "images",
            "fv-steps");

    @Override
    public String name() {
        return "weights";
    }

    @Override
    public String help() {
        return "weights into a unit: %weights [model] layer:channel [--from layer] [--top 12] "
                + "[--thumbs fv|examples|none] [--data SOURCE] [--input i] [--as VAR]";
    }

    /**
     * Virtual weights into a feature (or a channel) from the features of a dictionary ({@code --from conv2/sae})
     * or from a layer's neurons ({@code --from conv2}).
     */
    private static VirtualWeights virtual(Model model, Unit u, MagicArgs a, Unit.FeatureBasis fromView,
                                          java.util.Map<String, org.circuitscope.dictionary.FeatureDictionary> dictionaries,
                                          int top) throws MagicException {
        if (!a.has("from")) {
            throw a.error("virtual weights into " + u + " need --from LAYER (its neurons) or --from LAYER/DICT "
                    + "(a dictionary's features)");
        }
        if (a.has("input")) {
            throw a.error("--input picks a channel's kernel; for features the strongest --top are shown");
        }
        org.circuitscope.dictionary.FeatureDictionary lower = fromView == null ? null
                : (org.circuitscope.dictionary.FeatureDictionary) fromView;
        org.circuitscope.dictionary.FeatureDictionary upper = null;
        int j;
        if (u instanceof Unit.Feature f) {
            upper = dictionaries.get(f.dictionary());
            j = f.index();
        } else if (u instanceof Unit.Channel c) {
            j = c.channel();
        } else {
            throw a.error("virtual weights go into a feature (layer/dict:index) or a channel, not " + u);
        }
        return VirtualWeights.between(model, a.get("from"), lower, u.layer(), upper).into(j, top);
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse("weights", args, OPTIONS, Set.of());
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw new MagicException("%weights needs one unit, e.g. %weights fire3/concat:70 (or with --from "
                    + "fire2/concat for expanded weights)");
        }
        a.noMoreThan(chosen.rest(), 1);
        Model model = chosen.model();
        String target = chosen.rest().get(0);
        int top = a.getInt("top", 12, 1, 256);
        String var = a.variable("as");
        try {
            var dictionaries = org.circuitscope.magics.LoadedDictionaries.of(context.session()).all();
            Unit u = Unit.parse(target, dictionaries);
            var fromView = a.has("from") ? Unit.dictionaryView(a.get("from"), dictionaries) : null;
            if (u instanceof Unit.Feature || fromView != null) {
                VirtualWeights v = virtual(model, u, a, fromView, dictionaries, top);
                if (var != null) {
                    context.setVariable(var, VirtualWeights.class.getName(), v);
                }
                return v;
            }
            if (!(u instanceof Unit.Channel unit)) {
                throw new MagicException("%weights reads a channel's weights: write layer:channel, not " + target);
            }
            Object result;
            if (a.has("input")) {
                int i = a.getInt("input", 0, 0, Integer.MAX_VALUE);
                result = a.has("from") ? Weights.expanded(model, Unit.channel(a.get("from"), i), unit)
                        : Weights.kernel(model, unit, i);
                if (var != null) {
                    context.setVariable(var, KernelView.class.getName(), result);
                }
                return result;
            }
            UnitWeights w = Weights.of(model, unit).from(a.get("from")).top(top)
                    .thumbnails(ThumbnailChoice.parse(a, model, "weights")).render(context.progress("weights " + unit));
            if (var != null) {
                context.setVariable(var, UnitWeights.class.getName(), w);
            }
            return w;
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
    }
}
