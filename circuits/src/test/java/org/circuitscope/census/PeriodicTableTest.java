package org.circuitscope.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The periodic table on two real ImageNet networks from ../shared (skipped visibly without them). */
class PeriodicTableTest {

    @Test
    void twoMobileNetsAtComparableDepthAgainstARandomWeightControl() {
        ImageSource data = ImageFolder.of(SharedFixtures.imagenetSamples()).limit(60);
        try (Model squeeze = Models.load(SharedFixtures.require("models/tflite/mobilenet_v1_0.5_160_quant.tflite")
                .toString());
             Model mobile = Models.load(SharedFixtures.require("models/tflite/mobilenet_v1_0.25_128_quant.tflite")
                     .toString());
             Model control = mobile.withShuffledWeights(1)) {
            assertEquals("MobilenetV1/MobilenetV1/Conv2d_5_pointwise/Relu6",
                    PeriodicTable.comparableLayer(mobile, PeriodicTable.DEPTH));
            long t0 = System.nanoTime();
            PeriodicTable t = PeriodicTable.of(List.of(squeeze, mobile, control), data).run(Progress.NONE);
            System.out.printf("periodic table in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            System.out.println(t);
            System.out.println(t.table().print());
            for (Census c : t.censuses()) {
                System.out.println(c.summary().print());
            }
            Table counts = t.counts();
            assertEquals(Family.values().length, counts.rowCount());
            assertEquals(4, counts.columnCount());
            int real = 0;
            int shuffled = 0;
            for (Family f : Family.values()) {
                real += t.count(mobile.name(), f);
                shuffled += t.count(control.name(), f);
            }
            assertTrue(real > 0, "MobileNet v1 0.25 has family members: " + real);
            // the learned network has more units in early-vision families than the same network with its weights
            // shuffled
            assertTrue(real > shuffled, real + " vs " + shuffled);
            assertTrue(t.figure().image().getWidth() > 400);
        }
    }
}
