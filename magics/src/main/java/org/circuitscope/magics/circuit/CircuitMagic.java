package org.circuitscope.magics.circuit;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.circuitscope.circuit.Circuit;
import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.weights.ThumbnailChoice;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;

/**
 * {@code %circuit [model] layer:channel [--depth 2] [--top 6] [--by weights|attribution] [--explain F]
 * [--data SOURCE] [--images 16] [--layers a,b] [--thumbs fv|examples|none] [--no-prune] [--as VAR]}: the unit, its
 * strongest inputs and theirs, as a diagram (feature visualisations on the units unless {@code --thumbs} says
 * otherwise) with its edge table and the pruning check on the data source (by default the organism world for the
 * organism model, else the ImageNet samples when present): how much of the unit's activation above its baseline the
 * circuit explains. {@code --explain F} grows the circuit until that is at least F. The unit may be a dictionary
 * feature ({@code conv3/sae:17}), and a level of {@code --layers} a layer read through a dictionary
 * ({@code --layers conv2/low}): edges into and out of features are virtual weights.
 */
public final class CircuitMagic implements Magic {
    private static final Set<String> OPTIONS = Set.of("depth", "top", "by", "data", "images", "layers", "thumbs",
            "as", "fv-steps", "explain");
    private static final Set<String> FLAGS = Set.of("no-prune");

    @Override
    public String name() {
        return "circuit";
    }

    @Override
    public String help() {
        return "a unit's circuit: %circuit [model] (layer:channel|layer/dict:i) [--depth 2] [--top 6] "
                + "[--by weights|attribution] [--explain F] [--data world|imagenet|cifar10|DIR] [--images 16] "
                + "[--layers a,b/dict] [--thumbs fv|examples|none] [--no-prune] [--as VAR]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse("circuit", args, OPTIONS, FLAGS);
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw new MagicException("%circuit needs one unit, e.g. %circuit fire4/concat:12");
        }
        a.noMoreThan(chosen.rest(), 1);
        Model model = chosen.model();
        int depth = a.getInt("depth", 2, 1, 6);
        int top = a.getInt("top", 6, 1, 64);
        int images = a.getInt("images", 16, 1, 10_000);
        String var = a.variable("as");
        double explain = explainFraction(a);
        if (explain > 0 && a.flag("no-prune")) {
            throw new MagicException("%circuit: --explain needs the pruning check; drop --no-prune");
        }
        Circuit.Ranking by;
        try {
            by = Circuit.Ranking.parse(a.get("by", "weights"));
        } catch (IllegalArgumentException e) {
            throw new MagicException("%circuit: --by must be weights or attribution, not '" + a.get("by") + "'");
        }
        try {
            var dictionaries = org.circuitscope.magics.LoadedDictionaries.of(context.session()).all();
            Unit unit = Unit.parse(chosen.rest().get(0), dictionaries);
            if (!(unit instanceof Unit.Channel) && !(unit instanceof Unit.Feature)) {
                throw new MagicException("%circuit is built around a channel or a dictionary feature: write "
                        + "layer:channel or layer/dictionary:index, not " + unit);
            }
            Circuit c = Circuit.of(model, unit).dictionaries(dictionaries).depth(depth).top(top).by(by)
                    .thumbnails(ThumbnailChoice.parse(a, model, "circuit", "fv"))
                    .data(DataSources.parse(a.get("data"), model, images, "circuit"), images)
                    .prune(!a.flag("no-prune")).explain(explain);
            if (a.has("layers")) {
                c.layers(Arrays.stream(a.get("layers").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .toArray(String[]::new));
            }
            CircuitResult r = c.build(context.progress("circuit " + unit));
            if (var != null) {
                context.setVariable(var, CircuitResult.class.getName(), r);
            }
            return r;
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
    }

    private static double explainFraction(MagicArgs a) throws MagicException {
        double f = a.getDouble("explain", 0);
        if (a.has("explain") && !(f > 0 && f <= 1)) {
            throw new MagicException("%circuit: --explain takes a fraction between 0 and 1 (0.5: half of the unit's "
                    + "activation above its baseline), not " + a.get("explain").trim());
        }
        return f;
    }
}
