package org.circuitscope.magics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.model.Model;

/**
 * The dictionaries a notebook session has learnt or loaded, by the name their features are written with: after
 * {@code %dictionary conv3 --as sae}, {@code conv3/sae:17} is a unit in every magic. Magics hand {@link #all()}
 * to {@link org.circuitscope.model.Unit#parse(String, Map)}, the one place units are parsed.
 */
public final class LoadedDictionaries {
    private static final String KEY = LoadedDictionaries.class.getName();
    private final Map<String, FeatureDictionary> dictionaries = new LinkedHashMap<>();

    public static synchronized LoadedDictionaries of(Session session) {
        return session.get(KEY, LoadedDictionaries.class).orElseGet(() -> {
            LoadedDictionaries d = new LoadedDictionaries();
            session.put(KEY, d);
            return d;
        });
    }

    /**
     * Registers {@code d} under its name. A name that, after its layer and a '/', spells a layer of the model
     * ({@code fire4/concat} for a dictionary {@code concat} on {@code fire4}) is refused: its units would be
     * ambiguous.
     */
    public synchronized void add(FeatureDictionary d, Model model) throws MagicException {
        if (model != null && model.layers().contains(d.layer() + "/" + d.name())) {
            throw new MagicException("a dictionary on " + d.layer() + " cannot be called '" + d.name() + "': "
                    + d.layer() + "/" + d.name() + " is a layer of " + model.name() + "; choose another name with --as");
        }
        dictionaries.put(d.name(), d);
    }

    public synchronized FeatureDictionary get(String name) throws MagicException {
        FeatureDictionary d = dictionaries.get(name);
        if (d == null) {
            throw new MagicException("no dictionary called '" + name + "'; learnt or loaded: "
                    + (dictionaries.isEmpty() ? "none" : String.join(", ", dictionaries.keySet()))
                    + ". Learn one with %dictionary <layer> --as " + name);
        }
        return d;
    }

    /** Every registered dictionary by name (a copy). */
    public synchronized Map<String, FeatureDictionary> all() {
        return new LinkedHashMap<>(dictionaries);
    }
}
