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
 * Writes to {@code -Dcircuitscope.universality.out} (default {@code target/universality}): the table, each census,
 * each model's probe ({@code probes/<model>.probe}, to apply changed rules without the models: run again with
 * {@code -Dcircuitscope.universality.probes=DIR}) and each model's curve evidence ({@code curves-<model>.csv}:
 * every unit whose best arc reaches z 3, with what the curve rule measures). {@code
 * -Dcircuitscope.universality.featurevis=STEPS} draws the figure's cells as feature visualisations.
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
            java.nio.file.Path out = java.nio.file.Path.of(System.getProperty("circuitscope.universality.out",
                    "target/universality"));
            java.nio.file.Files.createDirectories(out.resolve("probes"));
            // -Dcircuitscope.universality.only=a,b: only these models (by name), in this order
            String only = System.getProperty("circuitscope.universality.only");
            List<Model> chosen = models;
            if (only != null) {
                chosen = new ArrayList<>();
                for (String w : only.split(",")) {
                    chosen.add(models.stream().filter(m -> m.name().equals(w)).findFirst().orElseThrow(() ->
                            new IllegalArgumentException("no model " + w + " among " + models.stream()
                                    .map(Model::name).toList())));
                }
            }
            PeriodicTable.Builder b = PeriodicTable.of(chosen, data);
            String kept = System.getProperty("circuitscope.universality.probes");
            long t0 = System.nanoTime();
            // each census saved as soon as it is taken (probe and curve evidence), or taken from a kept probe
            for (Model m : chosen) {
                java.nio.file.Path f = kept == null ? null : java.nio.file.Path.of(kept, fileName(m.name()) + ".probe");
                Census c;
                if (f != null && java.nio.file.Files.isRegularFile(f)) {
                    c = Census.of(Probe.load(f));
                    System.err.println("census of " + m.name() + " from " + f);
                } else {
                    long t1 = System.nanoTime();
                    c = Census.of(m, PeriodicTable.comparableLayer(m, PeriodicTable.DEPTH), data, Progress.NONE);
                    System.err.printf("census of %s %s in %.0f s (load average %.1f)%n", m.name(), c.layer(),
                            (System.nanoTime() - t1) / 1e9, java.lang.management.ManagementFactory
                                    .getOperatingSystemMXBean().getSystemLoadAverage());
                    c.probe().save(out.resolve("probes").resolve(fileName(c.model()) + ".probe"));
                }
                java.nio.file.Files.writeString(out.resolve("curves-" + fileName(c.model()) + ".csv"),
                        curveEvidence(c));
                b.census(c);
            }
            int steps = Integer.getInteger("circuitscope.universality.featurevis", 0);
            if (steps > 0) {
                b.featureVis(steps);
            }
            PeriodicTable t = b.run(new Progress() {
                @Override
                public void update(long done, long total, String status) {
                    System.err.println(status);
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            });
            System.out.printf("periodic table in %.0f s (load average %.1f)%n", (System.nanoTime() - t0) / 1e9,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println(t);
            System.out.println(t.table().print());
            System.out.println(t.counts().print());
            for (Census c : t.censuses()) {
                System.out.println(c.summary().print());
                System.out.println(c.model() + " curve orientations' largest gap: " + c.largestGap(Family.CURVE));
            }
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

    static String fileName(String model) {
        return model.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** One row per unit whose best arc reaches z 3: what the curve rule measures, and the unit's verdict. */
    static String curveEvidence(Census c) {
        StringBuilder sb = new StringBuilder("unit,family,z,orientation,radius,polarity,over_lines,over_edges,"
                + "opposite,width,peak,straight,r2,r4,r6,r8,r12,r16,shifted,turn,data\n");
        for (int u = 0; u < c.probe().channels(); u++) {
            Rules.CurveEvidence e = Rules.curveEvidence(c.probe(), u);
            if (!(e.z() >= Rules.Z_MIN)) {
                continue;
            }
            sb.append(String.format(java.util.Locale.ROOT, "%d,%s,%.3f,%.0f,%.2f,%s,%.3f,%.3f,%.3f,%.0f,%d", u,
                    c.verdict(u).familyLabel(), e.z(), e.orientation(), e.radius(), e.polarity(), e.overLines(),
                    e.overEdges(), e.opposite(), e.width(), e.peak()));
            for (double x : e.curvature()) {
                sb.append(String.format(java.util.Locale.ROOT, ",%.3f", x));
            }
            sb.append(String.format(java.util.Locale.ROOT, ",%.3f,%.0f,%.3f%n", e.shifted(), e.turn(), e.data()));
        }
        return sb.toString();
    }

    /** Across tasks: ImageNet MobileNet v2 against the iNaturalist-birds MobileNet v2, and SqueezeNet against it. */
    @Test
    void acrossTasks() throws Exception {
        boolean on = Boolean.getBoolean("circuitscope.universality.full");
        Assumptions.assumeTrue(on, "the across-task similarity runs with -Dcircuitscope.universality.full=true");
        ImageSource data = ImageFolder.of(SharedFixtures.imagenetSamples()).limit(Integer.getInteger(
                "circuitscope.universality.images", 150));
        String tfl = "models/tflite/";
        try (Model imagenet = Models.load(SharedFixtures.require(tfl + "tf2_mobilenet_v2_1.0_224_ptq.tflite")
                .toString());
             Model birds = Models.load(SharedFixtures.require(tfl + "mobilenet_v2_1.0_224_inat_bird_quant.tflite")
                     .toString());
             Model squeeze = Models.load(SharedFixtures.squeezenet().toString())) {
            String la = PeriodicTable.comparableLayer(imagenet, PeriodicTable.DEPTH);
            // the same architecture: compare the same block (the converters name its layers differently)
            String block = la.split("/")[1] + "/expand/";
            String lb = birds.layers().names().stream().filter(n -> n.contains(block) && n.endsWith("Relu6"))
                    .findFirst().orElse(PeriodicTable.comparableLayer(birds, PeriodicTable.DEPTH));
            String ls = PeriodicTable.comparableLayer(squeeze, PeriodicTable.DEPTH);
            StringBuilder out = new StringBuilder();
            for (Similarity s : new Similarity[] {
                    Similarity.of(imagenet, la, birds, lb, data, Similarity.GRID, 1, Progress.NONE),
                    Similarity.of(squeeze, ls, imagenet, la, data, Similarity.GRID, 1, Progress.NONE)}) {
                out.append(s).append("\n").append(s.distributions().print()).append("\n");
            }
            System.out.println(out);
            java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("circuitscope.universality.out",
                    "target/universality"));
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("similarity.txt"), out.toString());
        }
    }
}
