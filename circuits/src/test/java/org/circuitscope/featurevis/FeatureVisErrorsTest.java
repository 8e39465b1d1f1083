package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.junit.jupiter.api.Test;

/** A failure of the objective itself is reported as such, not as an image that is too small. */
class FeatureVisErrorsTest {
    @Test
    void anObjectiveThatCannotBeComputedIsNotBlamedOnTheSize() {
        try (Model m = Models.load(Models.DEFAULT)) {
            ModelException e = assertThrows(ModelException.class, () -> FeatureVis.of(m)
                    .objective(Objectives.totalVariation("logits")).steps(2).size(64).render());
            assertFalse(e.getMessage().contains("too small"), e.getMessage());
            assertTrue(e.getMessage().contains("cannot be computed") && e.getMessage().contains("organism"),
                    e.getMessage());
        }
    }
}
