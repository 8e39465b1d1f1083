package org.circuitscope.magics.examples;

import java.util.List;
import java.util.Set;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.activations.Sources;
import org.circuitscope.magics.tuning.StimulusSpecs;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.stimuli.StimulusSet;

/**
 * {@code %examples [model] layer:channel <source> [--k 9] [--crop|--full] [--negative] [--limit N] [--batch N]
 * [--resize N] [--label-regex R] [--polarity dark|light|both] [--as ex]}: the images of a source that drive a unit
 * hardest (or, with {@code --negative}, most negatively, read before the ReLU), as a labelled grid of
 * receptive-field crops ({@code --full}: whole images with the box drawn) and a table. Stimuli whose colours or
 * polarity are not given are shown both ways round (dark on light and light on dark), and each example's label
 * says which.
 */
public final class ExamplesMagic implements Magic {
    static final Set<String> OPTIONS = Set.of("k", "limit", "batch", "resize", "label-regex", "polarity", "as");
    static final Set<String> FLAGS = Set.of("crop", "full", "negative");

    @Override
    public String name() {
        return "examples";
    }

    @Override
    public String help() {
        return "dataset examples of a unit: %examples [model] layer:channel <folder|cifar10:file|curves?..|world> "
                + "[--k 9] [--crop|--full] [--negative] [--limit N] [--polarity dark|light|both] [--as ex]";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse(name(), args, OPTIONS, FLAGS);
        if (a.flag("crop") && a.flag("full")) {
            throw new MagicException("%examples: give --crop or --full, not both");
        }
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 2);
        if (chosen.rest().size() < 2) {
            throw new MagicException("%examples needs a unit (layer:channel) and an image source, e.g. %examples "
                    + "fire4/concat:12 path/to/images" + (chosen.rest().isEmpty() ? "" : "; got " + chosen.rest()));
        }
        a.noMoreThan(chosen.rest(), 2);
        String var = a.variable("as");
        ExamplesResult result;
        try {
            Unit unit = Unit.parse(chosen.rest().get(0),
                    org.circuitscope.magics.LoadedDictionaries.of(context.session()).all());
            int k = a.getInt("k", 9, 1, 1000);
            int batch = a.getInt("batch", 32, 1, 1024);
            int limit = a.getInt("limit", -1, 1, Integer.MAX_VALUE);
            String spec = chosen.rest().get(1);
            ImageSource source = Sources.parse(name(), spec, chosen.model(), a.get("label-regex"),
                    a.getInt("resize", 0, 1, org.circuitscope.model.Limits.maxInputSide()));
            if (source instanceof StimulusSet stimuli) {
                if (a.has("polarity")) {
                    StimulusSpecs.apply(stimuli, "polarity", a.get("polarity"));
                } else if (!StimulusSpecs.specFixesContrast(spec)) {
                    stimuli.bothPolarities();
                }
            } else if (a.has("polarity")) {
                throw new MagicException("%examples: --polarity is for stimuli (e.g. curves?orient=0:360:10), not "
                        + "for the images of " + spec);
            }
            result = DatasetExamples.of(chosen.model(), unit).k(k).negative(a.flag("negative")).batchSize(batch)
                    .limit(limit).run(source, context.progress("examples of " + unit));
            Sources.requireImages(name(), source, result.imagesSeen(), result.partial());
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
        result.showFull(a.flag("full"));
        if (var != null) {
            context.setVariable(var, ExamplesResult.class.getName(), result);
        }
        return result;
    }
}
