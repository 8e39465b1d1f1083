package org.circuitscope.magics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;

/**
 * The models a notebook session has loaded, by name, and which one is current: magics that name no model use the
 * current one, and when none is loaded yet, the embedded default model.
 */
public final class LoadedModels {
    private static final String KEY = LoadedModels.class.getName();
    private final Map<String, Model> models = new LinkedHashMap<>();
    private String current;

    /** The session's registry (created on first use). */
    public static synchronized LoadedModels of(Session session) {
        return session.get(KEY, LoadedModels.class).orElseGet(() -> {
            LoadedModels m = new LoadedModels();
            session.put(KEY, m);
            return m;
        });
    }

    public synchronized void add(String name, Model model, boolean makeCurrent) {
        Model old = models.put(name, model);
        if (old != null && old != model) {
            old.close();
        }
        if (makeCurrent || current == null) {
            current = name;
        }
    }

    /** The named model, or the current one for null; loads the default model when nothing is loaded yet. */
    public synchronized Model get(String name) throws MagicException {
        if (name == null) {
            if (current == null) {
                add(Models.DEFAULT, Models.load(Models.DEFAULT), true);
            }
            return models.get(current);
        }
        Model m = models.get(name);
        if (m == null) {
            throw new MagicException("no loaded model called '" + name + "'; loaded: "
                    + (models.isEmpty() ? "none" : String.join(", ", models.keySet()))
                    + ". Load one with %model load <name|path> --as " + name);
        }
        return m;
    }

    /** A model named first among a magic's positionals ({@code %magic [model] ...}), and the rest. */
    public record Chosen(Model model, java.util.List<String> rest) {
    }

    /**
     * Takes the leading positional as a model name when it names a loaded model and {@code needed} more
     * positionals follow; otherwise the current model and all positionals. A leading positional that is neither a
     * loaded model nor a unit or layer of the current model, followed by {@code needed} more, is refused as an
     * unknown model ({@code %featurevis nosuchmodel conv4:3}).
     */
    public synchronized Chosen choose(String magic, java.util.List<String> positionals, int needed)
            throws MagicException {
        if (positionals.size() > needed) {
            String first = positionals.get(0);
            // the default model is loaded before the name is looked up: a first magic may name it
            // (%featurevis organism conv4:3 in a fresh session)
            Model current = get(null);
            if (models.containsKey(first)) {
                return new Chosen(models.get(first), positionals.subList(1, positionals.size()));
            }
            boolean ofTheModel = first.contains(":") || first.contains("/") || first.contains(".")
                    || current.layers().contains(first) || current.labels().contains(first);
            if (!ofTheModel && positionals.size() == needed + 1) {
                throw new MagicException("%" + magic + ": no loaded model called '" + first + "'; loaded: "
                        + String.join(", ", models.keySet()) + ". Load it with %model load <name|path> --as " + first);
            }
        }
        return new Chosen(get(null), positionals);
    }

    public synchronized boolean has(String name) {
        return models.containsKey(name);
    }

    public synchronized void use(String name) throws MagicException {
        get(name);
        current = name;
    }

    public synchronized String currentName() {
        return current;
    }

    public synchronized Map<String, Model> all() {
        return new LinkedHashMap<>(models);
    }
}
