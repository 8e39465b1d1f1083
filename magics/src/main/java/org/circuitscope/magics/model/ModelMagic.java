package org.circuitscope.magics.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.zoo.ModelZoo;
import org.circuitscope.zoo.ZooEntry;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code %model}: load models and look at them. {@code %model} shows the current model; {@code %model load
 * <name|path> [--as NAME] [--input-size S] [--mean a,b,c] [--std a,b,c] [--bgr|--rgb] [--range 0..255] [--crop F]
 * [--labels FILE]} loads one and makes it current (the card says where its preprocessing came from, and what was
 * assumed when the file states none); {@code %model layers [NAME]} is the layer table; {@code %model list} lists loaded models
 * and the names that load by name; {@code %model use NAME} switches the current model.
 */
public final class ModelMagic implements Magic {
    private static final Set<String> LOAD_OPTIONS = Set.of("as", "input-size", "mean", "std", "range", "crop",
            "labels");
    private static final Set<String> LOAD_FLAGS = Set.of("bgr", "rgb");
    private static final List<String> SUBCOMMANDS = List.of("load", "layers", "list", "use");

    @Override
    public String name() {
        return "model";
    }

    @Override
    public String help() {
        List<String> names = new ArrayList<>(Models.EMBEDDED);
        ModelZoo.standard().entries().forEach(e -> names.add(e.name()));
        return "load a model (%model load <" + String.join("|", names) + "|file.onnx|.pb|.tflite|.pt> "
                + "[--as N] [--input-size S] [--mean ..] [--std ..] [--range 0..255] [--bgr] [--crop 0.875] [--labels FILE]), show it (%model), its layers (%model layers), "
                + "loaded and downloadable ones (%model list)";
    }

    @Override
    public Object line(MagicContext context, List<String> args) throws Exception {
        LoadedModels models = LoadedModels.of(context.session());
        if (args.isEmpty()) {
            return models.get(null);
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "load" -> load(models, rest, context);
            case "layers" -> {
                MagicArgs a = MagicArgs.parse("model layers", rest, Set.of(), Set.of());
                a.noMoreThan(a.positionals(), 1);
                try {
                    yield models.get(a.positional(0)).layers().table();
                } catch (MagicException e) {
                    throw a.error(e.getMessage());
                }
            }
            case "list" -> list(models);
            case "use" -> {
                MagicArgs a = MagicArgs.parse("model use", rest, Set.of(), Set.of());
                if (a.positional(0) == null) {
                    throw new MagicException("%model use needs the name of a loaded model");
                }
                a.noMoreThan(a.positionals(), 1);
                try {
                    models.use(a.positional(0));
                } catch (MagicException e) {
                    throw a.error(e.getMessage());
                }
                yield models.get(null);
            }
            default -> {
                String guess = MagicArgs.didYouMean(sub, SUBCOMMANDS);
                throw new MagicException("%model: unknown subcommand '" + sub + "'" + (guess == null ? ""
                        : "; did you mean %model " + guess + "?") + " Use %model, %model load <name|path>, "
                        + "%model layers, %model list or %model use <name>");
            }
        };
    }

    private static Model load(LoadedModels models, List<String> rest, MagicContext context) throws MagicException {
        MagicArgs a = MagicArgs.parse("model load", rest, LOAD_OPTIONS, LOAD_FLAGS);
        String what = a.positional(0);
        if (what == null) {
            throw new MagicException("%model load needs a model: a file path (.onnx) or a name (" + Models.DEFAULT
                    + ")");
        }
        a.noMoreThan(a.positionals(), 1);
        boolean adjusts = a.has("input-size") || a.has("mean") || a.has("std") || a.has("range") || a.has("crop")
                || a.flag("bgr") || a.flag("rgb");
        List<String> labels = a.has("labels") ? labels(a.get("labels")) : List.of();
        Model model;
        try {
            ModelZoo zoo = ModelZoo.standard();
            // a TorchScript module is traced at its input size, so that must be known before it loads
            boolean torchScript = what.endsWith(".pt") || what.endsWith(".pth");
            InputSpec upFront = adjusts && torchScript ? adjust(InputSpec.rgb01(224), a) : null;
            model = Models.load(what, upFront, context.progress("loading " + what), zoo);
            if (adjusts && !torchScript) {
                Model adjusted;
                try {
                    adjusted = model.withInput(adjust(model.input(), a));
                } finally {
                    model.close();
                }
                model = adjusted;
            }
            if (!labels.isEmpty()) {
                Model labelled;
                try {
                    labelled = model.withLabels(labels);
                } finally {
                    model.close();
                }
                model = labelled;
            }
        } catch (ModelException | IllegalArgumentException e) {
            throw a.wrap(e);
        }
        String name = a.get("as", defaultName(what)).trim();
        if (name.isEmpty() || name.contains(" ")) {
            model.close();
            throw a.error("--as needs a model name without spaces, not '" + a.get("as") + "'");
        }
        models.add(name, model, true);
        return model;
    }

    /** Class labels from a text file: one per line, in class order (blank lines at the end ignored). */
    private static List<String> labels(String file) throws MagicException {
        Path p = Path.of(file);
        List<String> lines;
        try {
            lines = new ArrayList<>(java.nio.file.Files.readAllLines(p));
        } catch (java.io.IOException e) {
            throw new MagicException("%model load: cannot read the labels file '" + file + "' (" + e.getMessage()
                    + ")");
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new MagicException("%model load: the labels file '" + file + "' is empty");
        }
        return lines;
    }

    private static InputSpec adjust(InputSpec spec, MagicArgs a) throws MagicException {
        InputSpec s = spec;
        if (a.has("input-size")) {
            int size = a.getInt("input-size", 0, 1, org.circuitscope.model.Limits.maxInputSide());
            s = s.withSize(size, size);
        }
        float[] mean = a.getFloats("mean");
        if (mean != null) {
            s = s.withMean(InputSpec.floats(a.get("mean")));
        }
        if (a.getFloats("std") != null) {
            s = s.withStd(InputSpec.floats(a.get("std")));
        }
        if (a.has("range")) {
            String[] r = a.get("range").split("\\.\\.");
            float lo;
            float hi;
            try {
                if (r.length != 2) {
                    throw new NumberFormatException();
                }
                lo = Float.parseFloat(r[0].trim());
                hi = Float.parseFloat(r[1].trim());
            } catch (NumberFormatException e) {
                throw a.error("--range looks like 0..255 or 0..1, not '" + a.get("range") + "'");
            }
            if (!(lo < hi)) {
                throw a.error("--range " + a.get("range") + " must go from the value of black up to the value of "
                        + "white (e.g. 0..255), so its first number must be the smaller");
            }
            s = s.withRange(lo, hi);
        }
        if (a.has("crop")) {
            float[] crop = a.getFloats("crop");
            if (crop == null || crop.length != 1) {
                throw a.error("--crop is one fraction like 0.875, not '" + a.get("crop") + "'");
            }
            s = s.withCrop(crop[0]);
        }
        if (a.flag("bgr") && a.flag("rgb")) {
            throw new MagicException("%model load: give --bgr or --rgb, not both");
        }
        if (a.flag("bgr")) {
            s = s.withBgr(true);
        }
        if (a.flag("rgb")) {
            s = s.withBgr(false);
        }
        return s;
    }

    private static String defaultName(String what) {
        String n = Path.of(what).getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static Table list(LoadedModels models) {
        StringColumn name = StringColumn.create("name");
        StringColumn state = StringColumn.create("state");
        StringColumn source = StringColumn.create("source");
        IntColumn layers = IntColumn.create("layers");
        String current = models.currentName();
        for (Map.Entry<String, Model> e : models.all().entrySet()) {
            name.append(e.getKey());
            state.append(e.getKey().equals(current) ? "loaded, current" : "loaded");
            source.append(e.getValue().source());
            layers.append(e.getValue().layers().all().size());
        }
        for (String builtIn : Models.EMBEDDED) {
            if (!models.has(builtIn)) {
                name.append(builtIn);
                state.append("embedded, not loaded");
                source.append("built in");
                layers.appendMissing();
            }
        }
        ModelZoo zoo = ModelZoo.standard();
        for (ZooEntry e : zoo.entries()) {
            if (!models.has(e.name())) {
                name.append(e.name());
                state.append(zoo.isCached(e) ? "cached, not loaded" : "not cached (downloads on load)");
                source.append(e.url().toString());
                layers.appendMissing();
            }
        }
        return Table.create("models", name, state, source, layers);
    }
}
