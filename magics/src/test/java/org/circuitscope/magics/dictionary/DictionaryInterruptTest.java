package org.circuitscope.magics.dictionary;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.magics.InMemoryContext;
import org.junit.jupiter.api.Test;

/** Interrupting %dictionary returns the dictionary learnt so far, marked partial, and it is still registered. */
class DictionaryInterruptTest {
    @Test
    void anInterruptDuringTrainingReturnsAPartialDictionary() throws Exception {
        InMemoryContext context = new InMemoryContext();
        // the sample takes 2 reports (16 images each); the interrupt comes at the autoencoder's 100th step
        context.interruptAtDone = 100;
        long t0 = System.nanoTime();
        FeatureDictionary d = assertInstanceOf(FeatureDictionary.class, context.run(new DictionaryMagic(),
                "conv3 --size 96 --k 6 --images 32 --steps 1000000 --data world --as sae"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println("interrupted: " + d + " after " + seconds + " s; reports " + context.reports.size());
        assertTrue(d.quality().partial(), d.toString());
        assertTrue(seconds < 120, "a million steps were not run: " + seconds + " s");
        assertTrue(context.reports.stream().anyMatch(r -> r.contains("SAE step 100 ")), context.reports.toString());
        assertInstanceOf(org.circuitscope.examples.ExamplesResult.class, context.run(
                new org.circuitscope.magics.examples.ExamplesMagic(), "conv3/sae:1 world:10 --k 2"));
        context.closeModels();
    }
}
