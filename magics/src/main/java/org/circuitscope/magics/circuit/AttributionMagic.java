package org.circuitscope.magics.circuit;

import java.util.List;
import java.util.Set;
import org.circuitscope.circuit.Attribution;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;

/**
 * {@code %attribution [model] (layer:channel | class) --from LAYER [--data SOURCE] [--images 64] [--as VAR]}: how
 * much each channel of an earlier layer pushes a unit or a class logit up or down on the data, strongest first.
 */
public final class AttributionMagic implements Magic {
    private static final Set<String> OPTIONS = Set.of("from", "data", "images", "as");

    @Override
    public String name() {
        return "attribution";
    }

    @Override
    public String help() {
        return "which channels of a layer drive a unit or class: %attribution [model] (layer:channel|class) "
                + "--from LAYER [--data world|imagenet|cifar10|DIR] [--images 64] [--as VAR]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse("attribution", args, OPTIONS, Set.of());
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw new MagicException("%attribution needs one unit or class, e.g. %attribution car --from conv5");
        }
        a.noMoreThan(chosen.rest(), 1);
        if (!a.has("from")) {
            throw new MagicException("%attribution: say which earlier layer to credit with --from LAYER");
        }
        Model model = chosen.model();
        int images = a.getInt("images", 64, 1, 10_000);
        String var = a.variable("as");
        String target = chosen.rest().get(0);
        if (!target.contains(":")) {
            int index = model.labels().indexOf(target);
            if (index < 0) {
                throw new MagicException("%attribution: '" + target + "' is neither a unit (layer:channel) nor one "
                        + "of the model's classes " + (model.labels().isEmpty() ? "(it has no class names)"
                        : model.labels()));
            }
            target = model.classOutput() + ":" + index;
        }
        try {
            AttributionResult r = Attribution.of(model, target,
                            org.circuitscope.magics.LoadedDictionaries.of(context.session()).all()).from(a.get("from")).limit(images)
                    .run(DataSources.parse(a.get("data"), model, images, "attribution"),
                            context.progress("attribution of " + target));
            if (var != null) {
                context.setVariable(var, AttributionResult.class.getName(), r);
            }
            return r;
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
    }
}
