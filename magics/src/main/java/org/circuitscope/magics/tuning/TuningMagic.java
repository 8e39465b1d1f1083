package org.circuitscope.magics.tuning;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.circuitscope.activations.Reduce;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.stimuli.StimulusSet;
import org.circuitscope.stimuli.TuningCurve;

/**
 * {@code %tuning [model] layer:channel <kind> [--orient 0:360:5] [--radius 10,20] [--thickness 3] [--span 90]
 * [--length L] [--opening 60] [--freq 4,8] [--phase 0] [--high 56] [--low 4] [--color black,red]
 * [--background plain,noise] [--reduce center|max] [--as t]}: a unit's response to synthetic stimuli (curves, lines,
 * edges, angles, gratings, boundaries), as a table and a line chart (a heatmap for two parameters). Values are a
 * range {@code from:to:step} (to excluded) or a list {@code a,b,c}.
 */
public final class TuningMagic implements Magic {
    static final Set<String> OPTIONS;

    static {
        Set<String> o = new HashSet<>(StimulusSpecs.OPTIONS.keySet());
        o.add("reduce");
        o.add("as");
        OPTIONS = Set.copyOf(o);
    }

    @Override
    public String name() {
        return "tuning";
    }

    @Override
    public String help() {
        return "tuning curve of a unit to synthetic stimuli: %tuning [model] layer:channel "
                + "curves|lines|edges|angles|gratings|boundaries [--orient 0:360:5] [--radius ..] [--as t]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, Set.of());
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 2);
        if (chosen.rest().size() < 2) {
            throw new MagicException("%tuning needs a unit (layer:channel) and a stimulus kind (curves, lines, "
                    + "edges, angles, gratings, boundaries), e.g. %tuning conv2:5 curves --orient 0:360:5"
                    + (chosen.rest().isEmpty() ? "" : "; got " + chosen.rest()));
        }
        a.noMoreThan(chosen.rest(), 2);
        String var = a.variable("as");
        TuningCurve result;
        try {
            Unit unit = Unit.parse(chosen.rest().get(0));
            StimulusSet set = StimulusSpecs.parse(chosen.rest().get(1));
            for (String option : StimulusSpecs.OPTIONS.keySet()) {
                if (a.has(option)) {
                    StimulusSpecs.apply(set, option, a.get(option));
                }
            }
            StimulusSpecs.checkCount(set);
            Reduce reduce = Reduce.parse(a.get("reduce", "center"));
            result = TuningCurve.of(chosen.model(), unit, set, reduce, context.progress("tuning of " + unit));
        } catch (MagicException e) {
            throw a.error(e.getMessage());
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
        if (var != null) {
            context.setVariable(var, TuningCurve.class.getName(), result);
        }
        return result;
    }
}
