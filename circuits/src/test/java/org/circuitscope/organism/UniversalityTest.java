package org.circuitscope.organism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.circuitscope.activations.UnitMatching;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.Test;

/** Two trainings of the organism (seeds 7 and 8) learn matching features; a model matches itself exactly. */
class UniversalityTest {

    @Test
    void aSecondTrainingLearnsTheSameWheelDetector() {
        try (Model first = Models.load("organism"); Model second = Models.load(Models.SECOND_ORGANISM)) {
            assertEquals("organism-seed8", second.name());
            assertTrue(second.metadata().get("source").contains("--seed 8"), second.metadata().get("source"));
            UnitMatching.Result m = UnitMatching.between(first, "conv4", second, "conv4")
                    .run(World.scenes(2028, 400));
            System.out.println(m);
            System.out.println(m.table().first(10).print());
            var wheel1 = OrganismCircuits.of(first).scenes(100).partUnit("conv4", "wheel", List.of("car", "bicycle"),
                    Progress.NONE);
            var wheel2 = OrganismCircuits.of(second).scenes(100).partUnit("conv4", "wheel",
                    List.of("car", "bicycle"), Progress.NONE);
            System.out.printf("wheel units: first conv4:%d (d %.2f), second conv4:%d (d %.2f); best match of the "
                    + "first's in the second: conv4:%d, r = %.3f%n", wheel1.unit(), wheel1.d(), wheel2.unit(),
                    wheel2.d(), m.bestMatch(wheel1.unit()), m.bestCorrelation(wheel1.unit()));
            System.out.printf("r(first wheel, second wheel) = %.3f; d of the match in the second = %.2f; second's "
                    + "top wheel units %s%n", m.correlation()[wheel1.unit()][wheel2.unit()],
                    wheel2.contrast().d()[m.bestMatch(wheel1.unit())], wheel2.contrast().ranked().subList(0, 5));
            // both trainings grow a wheel detector, and the first's closest counterpart in the second is one of the
            // second's three most wheel-selective units (of 64): the feature formed again
            assertTrue(wheel2.d() > 1.5, wheel2.toString());
            int match = m.bestMatch(wheel1.unit());
            assertTrue(wheel2.contrast().ranked().subList(0, 3).contains(match), "match conv4:" + match);
            assertTrue(wheel2.contrast().d()[match] > 1.5);
            assertTrue(m.bestCorrelation(wheel1.unit()) > 0.7, m.toString());
            assertTrue(m.medianBest() > 0.4, m.toString());
        }
    }

    @Test
    void aModelMatchesItselfUnitForUnit() {
        try (Model first = Models.load("organism")) {
            UnitMatching.Result m = UnitMatching.between(first, "conv3", first, "conv3")
                    .run(World.scenes(2029, 60));
            for (int u = 0; u < m.correlation().length; u++) {
                if (m.correlation()[u][u] != 0) { // a unit silent on all 60 scenes correlates with nothing
                    assertEquals(u, m.bestMatch(u), "conv3:" + u);
                    assertEquals(1.0, m.bestCorrelation(u), 1e-6);
                }
            }
        }
    }
}
