package org.circuitscope.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.circuitscope.atlas.Atlas;
import org.circuitscope.atlas.ClusterPasses;
import org.circuitscope.atlas.DatasetPasses;
import org.circuitscope.examples.Example;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.model.Unit;
import org.circuitscope.organism.World;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The atlas with its dataset side on Spark (local mode, two task threads, three partitions) writes the pages the
 * single-JVM atlas writes: the same examples in the same order, the same tables, the same example grids pixel for
 * pixel; only the histograms' bars may differ, as the maxima agree to float precision, not bit for bit.
 */
class SparkAtlasTest {
    static final long SEED = 2024;
    static final int N = 90;

    @Test
    void theAtlasOnSparkWritesTheSingleJvmPages(@TempDir Path tmp) throws IOException {
        try (SparkJobs jobs = SparkJobs.local(2).partitions(3).batchSize(16);
             Model model = Models.load(Models.DEFAULT)) {
            ModelBytes bytes = ModelBytes.organism();
            Path here = tmp.resolve("jvm");
            Path spark = tmp.resolve("spark");
            atlas(model).write(here);
            Atlas.AtlasSite site = atlas(model).passes(SparkAtlasPasses.of(jobs, bytes, SparkImages.world(SEED, N)))
                    .write(spark);
            assertEquals(4, site.written());
            List<Path> pages;
            try (Stream<Path> s = Files.walk(here)) {
                pages = s.filter(p -> p.toString().endsWith(".html")).sorted().toList();
            }
            assertTrue(pages.size() >= 4, "pages: " + pages);
            int compared = 0;
            for (Path p : pages) {
                Path other = spark.resolve(here.relativize(p));
                assertTrue(Files.exists(other), "the Spark atlas has no " + here.relativize(p));
                String a = Files.readString(p);
                assertEquals(a, Files.readString(other), "page " + here.relativize(p) + " differs");
                if (a.contains("Dataset examples")) {
                    compared++;
                }
            }
            assertEquals(4, compared, "unit pages with dataset examples");
            try (Stream<Path> s = Files.walk(here)) {
                for (Path p : s.filter(f -> f.getFileName().toString().matches("(top|bottom)(-full)?\\.png"))
                        .toList()) {
                    assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(spark.resolve(here.relativize(p))),
                            "example grid " + here.relativize(p) + " differs");
                }
            }
        }
    }

    @Test
    void thePassesAgreeWithTheSingleJvmPasses() {
        try (SparkJobs jobs = SparkJobs.local(2).partitions(4).batchSize(8);
             Model model = Models.load(Models.DEFAULT)) {
            List<Unit.Channel> units = List.of(Unit.channel("conv3", 0), Unit.channel("conv3", 5));
            DatasetPasses.Passes a = DatasetPasses.IN_JVM.run(model, units, 4, World.scenes(SEED, N), 70);
            DatasetPasses.Passes b = SparkAtlasPasses.of(jobs, ModelBytes.organism(), SparkImages.world(SEED, N))
                    .run(model, units, 4, World.scenes(SEED, N), 70);
            assertEquals(70, b.ids().size());
            assertEquals(a.ids(), b.ids());
            for (int u = 0; u < units.size(); u++) {
                for (int j = 0; j < a.ids().size(); j++) {
                    assertEquals(a.maxima().get(u)[j], b.maxima().get(u)[j], 1e-5f, "maximum of " + units.get(u));
                }
                List<Example> ta = a.top().get(u).examples();
                List<Example> tb = b.top().get(u).examples();
                assertEquals(ta.stream().map(Example::id).toList(), tb.stream().map(Example::id).toList());
                assertEquals(a.bottom().get(u).unitRead(), b.bottom().get(u).unitRead());
                assertEquals(a.bottom().get(u).examples().stream().map(Example::id).toList(),
                        b.bottom().get(u).examples().stream().map(Example::id).toList());
                assertEquals(70, b.top().get(u).imagesSeen());
            }
        }
    }

    @Test
    void passesForAnotherModelAreRefusedNamingBoth() {
        try (SparkJobs jobs = SparkJobs.local(1);
             Model model = Models.load(Models.DEFAULT)) {
            ModelBytes other = new ModelBytes("not-the-organism", ModelBytes.organism().onnx());
            ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                    () -> SparkAtlasPasses.of(jobs, other, SparkImages.world(SEED, 10))
                            .run(model, List.of(Unit.channel("conv3", 0)), 2, World.scenes(SEED, 10), -1));
            assertTrue(e.getMessage().contains("not-the-organism") && e.getMessage().contains(model.name()),
                    e.getMessage());
        }
    }

    @Test
    void theAtlasCommandFindsSparkOnTheClassPath() {
        ClusterPasses cluster = ClusterPasses.find().orElseThrow();
        assertTrue(cluster instanceof SparkClusterPasses, "found " + cluster);
        try (Model model = Models.load(Models.DEFAULT);
             ClusterPasses.Session s = cluster.open("local[2]", Models.DEFAULT, World.scenes(SEED, 30))) {
            List<Unit.Channel> units = List.of(Unit.channel("conv4", 1));
            DatasetPasses.Passes a = DatasetPasses.IN_JVM.run(model, units, 3, World.scenes(SEED, 30), -1);
            DatasetPasses.Passes b = s.passes().run(model, units, 3, World.scenes(SEED, 30), -1);
            assertEquals(a.ids(), b.ids());
            assertEquals(a.top().get(0).examples().stream().map(Example::id).toList(),
                    b.top().get(0).examples().stream().map(Example::id).toList());
            assertArrayEquals(a.maxima().get(0), b.maxima().get(0), 1e-5f);
        }
        ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                () -> cluster.open("local[1]", "mobilenet.tflite", World.scenes(SEED, 3)));
        assertTrue(e.getMessage().contains("mobilenet.tflite"), e.getMessage());
    }

    private static Atlas atlas(Model model) {
        return Atlas.of(model).layers("conv2", "conv4").units(2).data(World.scenes(SEED, N)).images(80).steps(4)
                .size(64).examples(3).levels(4).negative(false).neuron(false);
    }
}
