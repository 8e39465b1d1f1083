package org.circuitscope.census;

import java.util.ArrayList;
import java.util.List;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.progress.Progress;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The full periodic table (every shared network, both organisms, a random-weight control), for the notes: several
 * minutes, so it runs only with {@code -Dcircuitscope.universality.full=true} (skipped visibly otherwise).
 */
class FullTableTest {

    @Test
    void fullTable() throws Exception {
        boolean on = Boolean.getBoolean("circuitscope.universality.full");
        if (!on) {
            System.err.println("SKIPPED: the full periodic table runs with -Dcircuitscope.universality.full=true");
        }
        Assumptions.assumeTrue(on, "the full periodic table runs with -Dcircuitscope.universality.full=true");
        ImageSource data = ImageFolder.of(SharedFixtures.imagenetSamples()).limit(Integer.getInteger(
                "circuitscope.universality.images", 150));
        String tfl = "models/tflite/";
        List<Model> models = new ArrayList<>();
        try {
            models.add(Models.load(SharedFixtures.squeezenet().toString()));
            for (String f : new String[] {"mobilenet_v1_0.25_128_quant.tflite", "mobilenet_v1_0.5_160_quant.tflite",
                    "tf2_mobilenet_v2_1.0_224_ptq.tflite", "mobilenet_v2_1.0_224_inat_bird_quant.tflite"}) {
                models.add(Models.load(SharedFixtures.require(tfl + f).toString()));
            }
            models.add(Models.load("organism"));
            models.add(Models.load(Models.SECOND_ORGANISM));
            models.add(models.get(0).withShuffledWeights(1));
            models.add(models.get(3).withShuffledWeights(1));
            PeriodicTable t = PeriodicTable.of(models, data).run(new Progress() {
                @Override
                public void update(long done, long total, String status) {
                    System.err.println(status);
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            });
            System.out.println(t);
            System.out.println(t.table().print());
            for (Census c : t.censuses()) {
                System.out.println(c.summary().print());
            }
            java.nio.file.Path out = java.nio.file.Path.of(System.getProperty("circuitscope.universality.out",
                    "target/universality"));
            java.nio.file.Files.createDirectories(out);
            javax.imageio.ImageIO.write(t.figure().image(), "png", out.resolve("periodic-table.png").toFile());
            java.nio.file.Files.writeString(out.resolve("periodic-table.txt"), t + "\n" + t.table().print() + "\n"
                    + t.counts().print());
            for (Census c : t.censuses()) {
                java.nio.file.Files.writeString(out.resolve(c.model().replaceAll("[^A-Za-z0-9._-]", "_") + ".txt"),
                        c + "\n" + c.summary().print() + "\n" + c.table().print(1000));
            }
        } finally {
            for (Model m : models) {
                m.close();
            }
        }
    }
}
