package org.circuitscope.magics.dictionary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.Polysemantic;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.model.ModelMagic;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.junit.jupiter.api.Test;

/**
 * The superposition organism through the magics a user types: loaded by name, a dictionary on its narrow conv4, a
 * neuron unfolded; and a dictionary on another model's layer of the same name is not taken for this one's.
 */
class SuperpositionMagicTest {
    private final InMemoryContext context = new InMemoryContext();

    private Object run(Magic magic, String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void theNarrowOrganismsNeuronUnfoldsIntoItsOwnDictionary() throws Exception {
        Model narrow = assertInstanceOf(Model.class, run(new ModelMagic(), "load organism-superposition"));
        assertEquals("organism-superposition", narrow.name());
        assertEquals(8, narrow.layers().get("conv4").channels());
        FeatureDictionary parts = assertInstanceOf(FeatureDictionary.class, run(new DictionaryMagic(),
                "organism-superposition conv4 --method sae --size 32 --k 2 --images 24 --positions 32 --steps 300 "
                        + "--features 0 --as parts"));
        assertEquals("organism-superposition", parts.model());
        assertEquals(8, parts.channels());
        // the default organism, with a dictionary on its own conv4
        run(new ModelMagic(), "load organism");
        FeatureDictionary sae = assertInstanceOf(FeatureDictionary.class, run(new DictionaryMagic(),
                "conv4 --method sae --size 128 --k 8 --images 16 --positions 16 --steps 100 --features 0 --as sae"));
        assertEquals("organism", sae.model());

        Polysemantic p = assertInstanceOf(Polysemantic.class, run(new PolysemanticMagic(),
                "organism-superposition conv4:3 --images 16 --examples 6 --clusters 2 --vis-steps 0"));
        System.out.println(p);
        assertEquals(Unit.channel("conv4", 3), p.neuron());
        assertEquals("parts", p.dictionary().name(), "the narrow model's own dictionary, found without --dictionary");
        assertTrue(p.score() >= 1 && p.score() <= 32, "effective features " + p.score());
        assertEquals(1.0, p.loadings().stream().mapToDouble(Polysemantic.Loading::share).sum(), 1e-6);

        Polysemantic q = assertInstanceOf(Polysemantic.class, run(new PolysemanticMagic(),
                "conv4:5 --images 8 --examples 4 --clusters 2 --vis-steps 0"));
        assertEquals("sae", q.dictionary().name(), "the current model's dictionary, not the narrow model's");
    }
}
