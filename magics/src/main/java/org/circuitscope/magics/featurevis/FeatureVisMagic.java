package org.circuitscope.magics.featurevis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.featurevis.param.ImageParams;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;

/**
 * {@code %featurevis [model] layer:channel [--steps N] [--size S] [--batch B] [--diversity W] [--negative]
 * [--param fft|pixel|maco] [--seed N] [--lr R] [--as VAR]} renders a feature visualisation of one unit (a neuron
 * with {@code layer:channel@y,x}, the position counted in the layer's own coordinates on the image being optimised);
 * {@code %featurevis [model] layer --channels 0-63} renders a layer sheet, optimising up to {@code --batch} channels
 * together (image i shows channel i). {@code --param maco} keeps the image's Fourier magnitudes natural and
 * optimises the phases only (Fel et al. 2023), for deep layers. {@code --negative} on a layer after a ReLU
 * minimises the unit before the ReLU and says so.
 */
public final class FeatureVisMagic implements Magic {
    private static final Set<String> OPTIONS = Set.of("steps", "size", "batch", "diversity", "param", "seed",
            "channels", "lr", "as");
    private static final Set<String> FLAGS = Set.of("negative");
    /** Most channels of a sheet optimised in one batch by default. */
    static final int SHEET_BATCH = 16;
    static final int MAX_SHEET = 1024;
    static final int MAX_STEPS = 100_000;

    @Override
    public String name() {
        return "featurevis";
    }

    @Override
    public String help() {
        return "feature visualisation: %featurevis [model] layer:channel [--steps 512] [--size 128] [--batch B] "
                + "[--diversity W] [--negative] [--param fft|pixel|maco] [--seed N] [--lr 0.05, maco 0.2] [--as VAR]; "
                + "a layer sheet: %featurevis [model] layer --channels 0-63";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        MagicArgs a = MagicArgs.parse("featurevis", args, OPTIONS, FLAGS);
        LoadedModels.Chosen chosen = LoadedModels.of(context.session()).choose(name(), a.positionals(), 1);
        if (chosen.rest().isEmpty()) {
            throw new MagicException("%featurevis needs one unit, e.g. %featurevis fire4/concat:12 (or "
                    + "layer:channel@y,x for a neuron), or a layer with --channels 0-63 for a sheet");
        }
        a.noMoreThan(chosen.rest(), 1);
        Model model = chosen.model();
        String target = chosen.rest().get(0);
        int steps = a.getInt("steps", 512, 1, MAX_STEPS);
        int size = a.getInt("size", 128);
        long seed = a.getInt("seed", 0);
        // NaN: the parameterisation's own learning rate (0.05 for fft and pixel, 0.2 for maco)
        double lr = a.has("lr") ? a.getDouble("lr", 0.05) : Double.NaN;
        double diversity = a.getDouble("diversity", 0);
        if (size < FeatureVis.MIN_SIZE) {
            throw new MagicException("%featurevis: --size " + size + " is too small; use at least "
                    + FeatureVis.MIN_SIZE + " (the model was built for " + model.input().height() + ")");
        }
        if (size > 1024) {
            throw new MagicException("%featurevis: --size " + size + " is too large; use at most 1024");
        }
        if (a.has("lr") && !(lr > 0)) {
            throw new MagicException("%featurevis: --lr must be positive, not " + a.get("lr"));
        }
        String var = a.variable("as");
        try {
            FeatureVisResult result = a.has("channels")
                    ? sheet(context, model, target, a, steps, size, seed, lr, diversity)
                    : single(context, model, target, a, steps, size, seed, lr, diversity);
            if (var != null) {
                context.setVariable(var, FeatureVisResult.class.getName(), result);
            }
            return result;
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            throw a.wrap(e);
        }
    }

    private static FeatureVisResult single(MagicContext context, Model model, String target, MagicArgs a, int steps,
                                           int size, long seed, double lr, double diversity) throws MagicException {
        if (!target.contains(":") || !Unit.FORM.matcher(target).matches()) {
            String hint = model.layers().contains(target) ? " (" + target + " has "
                    + model.layers().get(target).channels() + " channels)" : "";
            throw new MagicException("%featurevis: '" + target + "' is not a unit: write layer:channel (e.g. "
                    + "fire4/concat:12), layer:channel@y,x for a neuron, or give --channels for a sheet of "
                    + "layer " + target + hint);
        }
        Unit unit = Unit.parse(target, org.circuitscope.magics.LoadedDictionaries.of(context.session()).all());
        VisObjective objective = Objectives.unit(unit);
        String note = "";
        if (a.flag("negative")) {
            // after a ReLU the unit is 0 wherever it is not positive: minimising it would only switch it off
            Unit before = DatasetExamples.beforeRelu(model.layers(), unit);
            if (!before.equals(unit)) {
                objective = Objectives.unit(before);
                note = "Negative visualisation: " + unit + " follows a ReLU (it is never below 0), so this "
                        + "minimises it before the ReLU, at " + before + ".";
            }
            objective = objective.negate();
        }
        int batch = a.getInt("batch", 1, 1, 64);
        if (diversity != 0) {
            if (batch < 2) {
                throw new MagicException("%featurevis: --diversity needs a batch of 2 or more images (--batch 4)");
            }
            objective = objective.minus(Objectives.diversity(unit.layer()).times(diversity));
        }
        FeatureVis vis = FeatureVis.of(model).objective(objective).steps(steps).size(size).seed(seed)
                .batch(batch).param(param(a));
        if (!Double.isNaN(lr)) {
            vis.learningRate(lr);
        }
        FeatureVisResult result = vis.render(context.progress("featurevis " + objective.description()));
        return note.isEmpty() ? result : result.note(note);
    }

    private static FeatureVisResult sheet(MagicContext context, Model model, String layerName, MagicArgs a,
                                          int steps, int size, long seed, double lr, double diversity)
            throws MagicException {
        if (layerName.contains(":") && !model.layers().contains(layerName)) {
            throw new MagicException("%featurevis: --channels makes a sheet of a layer: give the layer alone, not '"
                    + layerName + "'");
        }
        if (diversity != 0 || a.flag("negative")) {
            throw new MagicException("%featurevis: --diversity and --negative are for single units, not sheets");
        }
        Layer layer = model.layers().get(layerName);
        int[] channels = channels(a.get("channels"), (int) layer.channels(), layer.name());
        int batch = a.getInt("batch", SHEET_BATCH, 1, 64);
        org.circuitscope.progress.Progress outer = context.progress("featurevis sheet " + layer.name());
        List<java.awt.image.BufferedImage> images = new ArrayList<>();
        List<FeatureVisResult> parts = new ArrayList<>();
        for (int start = 0; start < channels.length; start += batch) {
            int[] chunk = java.util.Arrays.copyOfRange(channels, start, Math.min(channels.length, start + batch));
            int offset = start;
            org.circuitscope.progress.Progress inner = new org.circuitscope.progress.Progress() {
                @Override
                public void update(long done, long total, String status) {
                    outer.update((long) offset * steps + done * chunk.length, (long) channels.length * steps,
                            "channels " + chunk[0] + "–" + chunk[chunk.length - 1] + ": " + status);
                }

                @Override
                public boolean cancelled() {
                    return outer.cancelled();
                }
            };
            FeatureVis vis = FeatureVis.sheet(model, layer.name(), chunk).steps(steps).size(size).seed(seed)
                    .param(param(a));
            if (!Double.isNaN(lr)) {
                vis.learningRate(lr);
            }
            FeatureVisResult r = vis.render(inner);
            parts.add(r);
            images.addAll(r.images());
            if (r.interrupted()) {
                break;
            }
        }
        outer.finish("sheet of " + images.size() + " channels");
        return parts.size() == 1 ? parts.get(0) : FeatureVisResult.combine(parts);
    }

    private static org.circuitscope.featurevis.param.ImageParam param(MagicArgs a) throws MagicException {
        String p = a.get("param", "fft");
        try {
            return ImageParams.byName(p);
        } catch (IllegalArgumentException e) {
            throw new MagicException("%featurevis: --param must be fft, pixel or maco, not '" + p + "'");
        }
    }

    /** Parses "0-63", "1,5,9" or "0-3,10". */
    static int[] channels(String spec, int count, String layer) throws MagicException {
        Set<Integer> out = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 0 || hi < lo) {
                    throw new MagicException("%featurevis: --channels range '" + p + "' is empty or negative");
                }
                if (hi >= count) {
                    throw new MagicException("%featurevis: channel " + hi + " is out of range: layer '" + layer
                            + "' has " + count + " channels (0–" + (count - 1) + ")");
                }
                for (int c = lo; c <= hi; c++) {
                    out.add(c);
                }
            } catch (NumberFormatException e) {
                throw new MagicException("%featurevis: --channels takes ranges like 0-63 or lists like 1,5,9, not '"
                        + spec + "'");
            }
        }
        if (out.size() > MAX_SHEET) {
            throw new MagicException("%featurevis: a sheet of " + out.size() + " channels is too many; at most "
                    + MAX_SHEET);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
