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
 * [--background white|black|plain|noise,...] [--polarity dark|light|both] [--reduce field|center|max|mean]
 * [--as t]}: a unit's response to synthetic stimuli (curves, lines, edges, angles, gratings, boundaries, spots), as a table
 * and a line chart (a heatmap for two parameters). Values are a range {@code from:to:step} (to excluded) or a list
 * {@code a,b,c}. Unless the colours or the polarity are given, the stimuli are shown both ways round (dark on light
 * and light on dark) and the result says which won. A channel is read at the best position of its receptive field
 * around the stimulus ({@code --reduce field}, the default).
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
                + "curves|lines|edges|angles|gratings|boundaries [--orient 0:360:5] [--radius ..] "
                + "[--polarity dark|light|both] [--color C] [--background C|noise] [--reduce field|center|max] "
                + "[--as t]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, Set.of());
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 2);
        if (chosen.rest().size() < 2) {
            throw new MagicException("%tuning needs a unit (layer:channel) and a stimulus kind (curves, lines, "
                    + "edges, angles, gratings, boundaries, spots), e.g. %tuning conv2:5 curves --orient 0:360:5"
                    + (chosen.rest().isEmpty() ? "" : "; got " + chosen.rest()));
        }
        a.noMoreThan(chosen.rest(), 2);
        String var = a.variable("as");
        TuningCurve result;
        try {
            Unit unit = Unit.parse(chosen.rest().get(0),
                    org.circuitscope.magics.LoadedDictionaries.of(context.session()).all());
            String spec = chosen.rest().get(1);
            StimulusSet set = StimulusSpecs.parse(spec);
            boolean contrastGiven = StimulusSpecs.specFixesContrast(spec);
            for (String option : StimulusSpecs.OPTIONS.keySet()) {
                if (a.has(option)) {
                    StimulusSpecs.apply(set, option, a.get(option));
                    contrastGiven |= StimulusSpecs.fixesContrast(option, a.get(option));
                }
            }
            if (!contrastGiven) {
                // which way round a unit likes its stimuli is part of what it prefers: try both
                set.bothPolarities();
            }
            StimulusSpecs.checkCount(set);
            String reading = a.get("reduce", "field");
            Reduce reduce = null;
            if (!reading.equalsIgnoreCase("field")) {
                try {
                    reduce = Reduce.parse(reading);
                } catch (IllegalArgumentException e) {
                    throw new MagicException("--reduce must be field (the best position of the receptive field, the "
                            + "default), center, max or mean, not '" + reading + "'");
                }
                if (reduce == Reduce.NONE) {
                    throw new MagicException("a tuning curve reads one number per stimulus: --reduce field, center, "
                            + "max or mean, not none");
                }
            }
            org.circuitscope.progress.Progress progress = context.progress("tuning of " + unit);
            result = reduce == null ? TuningCurve.of(chosen.model(), unit, set, progress)
                    : TuningCurve.of(chosen.model(), unit, set, reduce, progress);
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
