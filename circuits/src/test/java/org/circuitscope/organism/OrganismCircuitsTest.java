package org.circuitscope.organism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.circuit.Attribution;
import org.circuitscope.circuit.AttributionResult;
import org.circuitscope.data.ImageList;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zoom In's claims on the shipped organism, where the world's construction is the ground truth: part ablation,
 * a wheel detector and what it feeds, the two dog pathways. Figures are printed for the issue note.
 */
class OrganismCircuitsTest {
    static Model model;

    @BeforeAll
    static void load() {
        model = Models.load("organism");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void removingAPartLowersItsClassMoreThanErasingAnEqualAreaElsewhere() {
        PartAblation.Result r = OrganismCircuits.of(model).scenes(100).ablation(Progress.NONE);
        System.out.println(r.table().print());
        for (PartAblation.Row row : r.rows()) {
            assertEquals(100, row.scenes());
            assertTrue(row.accuracy() >= 0.95, row.toString());
            // the control: an equal area anywhere in the image
            assertTrue(row.drop() > 2 * row.patchDrop(), row.toString());
            assertTrue(row.partBeatsPatch() >= 0.8, row.toString());
        }
        // windows carry the car: their removal beats even erasing an equal area of the car itself
        PartAblation.Row carWindows = r.row("car", "window");
        assertTrue(carWindows.drop() > 2 * carWindows.objectPatchDrop(), carWindows.toString());
        assertTrue(carWindows.accuracyWithout() < 0.6, carWindows.toString());
        PartAblation.Row bikeWheels = r.row("bicycle", "wheel");
        assertTrue(bikeWheels.drop() > 2 * bikeWheels.objectPatchDrop(), bikeWheels.toString());
    }

    @Test
    void aWheelUnitExistsAndFeedsTheClassesWithWheels() {
        OrganismCircuits.PartUnit wheel = OrganismCircuits.of(model).scenes(100)
                .partUnit("conv4", "wheel", List.of("car", "bicycle"), Progress.NONE);
        System.out.println(wheel);
        System.out.println(wheel.table().print());
        assertTrue(wheel.d() > 1.5, wheel.toString());
        assertTrue(wheel.contrast().meanA()[wheel.unit()] > 2 * wheel.contrast().meanB()[wheel.unit()]);
        // it excites both classes that have wheels; for the bicycle it is among the strongest inputs
        assertTrue(wheel.attribution("car") > 0, wheel.toString());
        assertTrue(wheel.attribution("bicycle") > 0, wheel.toString());
        assertTrue(wheel.rank("bicycle") <= 5, wheel.toString());
        assertTrue(wheel.rank("car") <= 16, wheel.toString());
    }

    @Test
    void dogsFacingLeftAndRightGetSeparateUnitsThatInhibitTheOtherClass() {
        OrganismCircuits.DogPathways dogs = OrganismCircuits.of(model).scenes(100).dogPathways("conv5", 1.0,
                Progress.NONE);
        System.out.println(dogs);
        System.out.println(dogs.table().print());
        assertTrue(dogs.leftUnits().size() >= 3, dogs.toString());
        assertTrue(dogs.rightUnits().size() >= 3, dogs.toString());
        assertFalse(dogs.leftUnits().stream().anyMatch(dogs.rightUnits()::contains));
        assertTrue(dogs.leftInhibitsRight() >= 0.6, dogs.toString());
        assertTrue(dogs.rightInhibitsLeft() >= 0.6, dogs.toString());
        int strongestLeft = dogs.leftUnits().get(0);
        assertTrue(dogs.leftOnRightLogit().of(strongestLeft) < 0, dogs.toString());
    }

    @Test
    void attributionThroughGlobalPoolingIsWeightTimesMeanActivation() {
        ImageSource cars = World.scenes("cars", 3, 8, List.of("car"), s -> s);
        AttributionResult a = Attribution.of(model, "logits:0").from("conv5").batchSize(3).run(cars);
        assertEquals(8, a.images());
        float[] w = model.weights("logits").data();
        int channels = (int) model.layers().get("conv5").channels();
        var means = Activations.of(model).layers("conv5").reduce(Reduce.MEAN).run(cars);
        double logitSum = 0;
        for (int c = 0; c < channels; c++) {
            float[] col = means.column("conv5:" + c);
            double mean = 0;
            for (float v : col) {
                mean += v;
            }
            mean /= col.length;
            // the logit is linear in the pooled map: Σ_pos a·∂logit/∂a = w·mean over positions
            assertEquals(w[c] * mean, a.of(c), 1e-4 * (1 + Math.abs(w[c] * mean)), "conv5:" + c);
            logitSum += w[c] * mean;
        }
        double bias = model.parameters("logits").values().stream().filter(t -> t.shape().length == 1)
                .findFirst().orElseThrow().data()[0];
        assertEquals(a.unitMean(), logitSum + bias, 1e-3 * (1 + Math.abs(a.unitMean())));
    }

    @Test
    void givenActivationsReplaceTheComputedOnes() {
        ImageList one = ImageList.of(List.of(World.scene(3, 0, "clock").render()));
        Tensor images = org.circuitscope.image.Images.toTensor(List.of(one.samples().get(0).image()), 64, 64);
        try (NDManager m = model.newManager()) {
            NDArray x = m.create(images.data(), new ai.djl.ndarray.types.Shape(images.shape()));
            Map<String, NDArray> plain = model.forward(x, List.of("conv4", "logits"));
            NDArray conv4 = plain.get("conv4");
            NDArray same = model.forward(x, Map.of("conv4", conv4.duplicate()), List.of("logits")).get("logits");
            assertTrue(same.allClose(plain.get("logits"), 1e-5, 1e-5, false));
            NDArray zero = model.forward(x, Map.of("conv4", conv4.zerosLike()), List.of("logits")).get("logits");
            assertFalse(zero.allClose(plain.get("logits"), 1e-3, 1e-3, false));
        }
    }
}
