package org.circuitscope.magics;

import java.util.List;
import org.circuitscope.magics.model.ModelMagic;

/** The magics this module offers, for the kernel extension to register. */
public final class MagicProvider {
    private MagicProvider() {
    }

    public static List<Magic> all() {
        return List.of(
                new ModelMagic(),
                new org.circuitscope.magics.featurevis.FeatureVisMagic(),
                new org.circuitscope.magics.weights.WeightsMagic(),
                new org.circuitscope.magics.circuit.CircuitMagic(),
                new org.circuitscope.magics.circuit.AttributionMagic(),
                new org.circuitscope.magics.activations.ActivationsMagic(),
                new org.circuitscope.magics.examples.ExamplesMagic(),
                new org.circuitscope.magics.tuning.TuningMagic(),
                new org.circuitscope.magics.dictionary.DictionaryMagic(),
                new org.circuitscope.magics.dictionary.PolysemanticMagic(),
                new org.circuitscope.magics.universality.UniversalityMagic());
    }
}
