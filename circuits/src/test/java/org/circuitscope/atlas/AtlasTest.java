package org.circuitscope.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.circuitscope.census.Census;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.World;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organism's atlas: every link and image resolves, no figure is blank, a partial run continues; pages show
 * images sampled by activation level, the centre neuron's visualisation, and (when asked) the census family and
 * the dictionary features that load on the unit.
 */
class AtlasTest {
    private static Model model;

    @BeforeAll
    static void load() {
        model = Models.load(Models.DEFAULT);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Atlas small() {
        return Atlas.of(model).layers("conv1", "conv2", "conv3").units(5).sheet(5).steps(8).examples(4)
                .data(World.scenes(2024, 64));
    }

    @Test
    void writesASiteWhoseLinksAndImagesResolve(@TempDir Path dir) throws IOException {
        Atlas.AtlasSite site = small().diversity(2).write(dir);
        assertEquals(15, site.written());
        assertEquals(0, site.skipped());
        List<Path> pages;
        try (Stream<Path> s = Files.walk(dir)) {
            pages = s.filter(p -> p.toString().endsWith(".html")).toList();
        }
        // the site index, 3 layer indexes, 15 unit pages
        assertEquals(19, pages.size(), pages.toString());
        Pattern ref = Pattern.compile("(?:href|src)=\"([^\"#]+)\"");
        int images = 0;
        int unitLinks = 0;
        for (Path page : pages) {
            String html = Files.readString(page);
            Matcher m = ref.matcher(html);
            while (m.find()) {
                Path target = page.getParent().resolve(m.group(1)).normalize();
                assertTrue(Files.isRegularFile(target), page + " links to " + m.group(1) + ", which is missing");
                if (m.group(1).endsWith(".png")) {
                    images++;
                    assertNotBlank(target);
                }
                if (html.contains("class=\"unit\" href=\"" + m.group(1))) {
                    unitLinks++;
                }
            }
        }
        assertTrue(images > 15 * 8, "images: " + images);
        // conv2 and conv3 units link to their inputs, conv1 and conv2 units to their outputs
        assertTrue(unitLinks >= 20, "links between units: " + unitLinks);
        String conv2 = Files.readString(dir.resolve("conv2/unit-0.html"));
        for (String section : List.of("Feature visualisation", "Diversity", "Top", "Bottom", "Activation histogram",
                "Examples by activation level", "Strongest inputs", "Strongest outputs", "Tuning curve")) {
            assertTrue(conv2.contains(section), "conv2:0 has no " + section);
        }
        for (String image : List.of("channel", "neuron", "negative", "histogram", "level-0", "level-7")) {
            assertTrue(conv2.contains("src=\"unit-0/" + image + ".png\""), "conv2:0 shows no " + image + ".png");
        }
        // the levels run from the lowest to the highest per-image maximum of the 64 scenes
        Matcher q = Pattern.compile("<figcaption>q ([0-9.]+): ([-0-9.e+]+)<br/>").matcher(conv2);
        List<double[]> levels = new java.util.ArrayList<>();
        while (q.find()) {
            levels.add(new double[] {Double.parseDouble(q.group(1)), Double.parseDouble(q.group(2))});
        }
        assertEquals(8, levels.size(), "levels on conv2:0");
        assertEquals(0.0, levels.get(0)[0]);
        assertEquals(1.0, levels.get(7)[0]);
        for (int i = 1; i < levels.size(); i++) {
            assertTrue(levels.get(i)[1] >= levels.get(i - 1)[1], "levels not in ascending order: " + conv2);
        }
        assertTrue(conv2.contains("href=\"../conv1/unit-"), "conv2:0 links to no conv1 unit");
        // outputs name the strongest units of conv3 whichever they are; those the atlas drew (0..4) are links
        assertTrue(conv2.substring(conv2.indexOf("Strongest outputs")).contains(" conv3:"), "conv2:0 names no output in conv3");
        boolean linksForward = false;
        for (int c = 0; c < 5; c++) {
            linksForward |= Files.readString(dir.resolve("conv2/unit-" + c + ".html")).contains("href=\"../conv3/unit-");
        }
        assertTrue(linksForward, "no conv2 page links to a conv3 page");
    }

    @Test
    void aPartialRunContinues(@TempDir Path dir) throws IOException {
        Atlas atlas = small().negative(false).tuning(null);
        atlas.write(dir);
        Path page = dir.resolve("conv2/unit-3.html");
        long before = Files.getLastModifiedTime(dir.resolve("conv1/unit-0.html")).toMillis();
        Files.delete(page);
        Files.delete(dir.resolve("conv3/unit-4.html"));
        String index = Files.readString(dir.resolve("conv2/index.html"));
        assertTrue(index.contains("unit-3.html"));
        Atlas.AtlasSite again = atlas.write(dir);
        assertEquals(2, again.written());
        assertEquals(13, again.skipped());
        assertTrue(Files.isRegularFile(page));
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("conv1/unit-0.html")).toMillis(),
                "a complete page was rewritten");
        assertFalse(Files.readString(dir.resolve("conv2/index.html")).contains("not yet"));
    }

    @Test
    void censusAndDictionarySections(@TempDir Path dir) throws IOException {
        // a small PCA dictionary on conv2, saved and loaded back as --dictionary does
        FeatureDictionary learnt = FeatureDictionary.learning(model, "conv2").method(FeatureDictionary.Method.PCA)
                .images(24).positions(32).spliceImages(0).learn(World.scenes(7, 24), Progress.NONE);
        Path file = dir.resolve("conv2.pca.dict");
        learnt.save(file);
        FeatureDictionary d = FeatureDictionary.load(file);
        Path site = dir.resolve("site");
        Atlas.AtlasSite s = Atlas.of(model).layers("conv1", "conv2").units(3).sheet(3).steps(8).examples(3)
                .negative(false).tuning(null).census(true).dictionary(d).data(World.scenes(2024, 48)).write(site);
        assertEquals(6, s.written());
        Census census = Census.of(model, "conv2");
        for (int c = 0; c < 3; c++) {
            String page = Files.readString(site.resolve("conv2/unit-" + c + ".html"));
            assertTrue(page.contains("<h2>Family</h2>") && page.contains("<b>" + census.verdict(c).familyLabel()
                    + "</b>"), "conv2:" + c + " does not show its census family "
                    + census.verdict(c).familyLabel());
            assertTrue(page.contains("unit-" + c + "/census-best.png"), "conv2:" + c + " has no best stimulus");
            assertTrue(page.contains("<h2>Dictionary features</h2>"), "conv2:" + c + " has no dictionary section");
            Matcher f = Pattern.compile("src=\"(features/pca-\\d+\\.png)\"").matcher(page);
            int shown = 0;
            while (f.find()) {
                Path img = site.resolve("conv2").resolve(f.group(1));
                assertTrue(Files.isRegularFile(img), img + " is missing");
                assertNotBlank(img);
                shown++;
            }
            assertTrue(shown >= 1, "conv2:" + c + " shows no dictionary feature: " + page);
            assertNotBlank(site.resolve("conv2/unit-" + c + "/census-best.png"));
            assertNotBlank(site.resolve("conv2/unit-" + c + "/neuron.png"));
        }
        // conv1 has no dictionary: no such section there, but its census
        String conv1 = Files.readString(site.resolve("conv1/unit-0.html"));
        assertFalse(conv1.contains("Dictionary features"));
        assertTrue(conv1.contains("<h2>Family</h2>"));
        // the strongest feature listed for conv2:0 is the one whose mean contribution to it is largest
        double[][] loadings;
        try (org.nd4j.linalg.api.ndarray.INDArray x = org.circuitscope.dictionary.ActivationSample.collect(model,
                "conv2", World.scenes(2024, 48), Atlas.DICTIONARY_IMAGES, Atlas.DICTIONARY_POSITIONS, d.seed(), 16,
                Progress.NONE).vectors()) {
            loadings = org.circuitscope.dictionary.Polysemantic.contributions(d, x);
        }
        int best = Atlas.topFeatures(loadings[0], 1).get(0);
        String page0 = Files.readString(site.resolve("conv2/unit-0.html"));
        assertTrue(page0.indexOf("features/pca-" + best + ".png") == page0.indexOf("features/pca-"),
                "conv2:0 does not list feature " + best + " first");
    }

    @Test
    void aLayersMaximaArePassedOverOnceForAllItsBatches(@TempDir Path dir) throws IOException {
        List<String> calls = new java.util.ArrayList<>();
        DatasetPasses counting = new DatasetPasses() {
            @Override
            public Examples examples(Model m, List<org.circuitscope.model.Unit.Channel> units, int k,
                                     org.circuitscope.data.ImageSource data, int limit) {
                calls.add("examples " + units);
                return IN_JVM.examples(m, units, k, data, limit);
            }

            @Override
            public LayerMaxima maxima(Model m, String layer, org.circuitscope.data.ImageSource data, int limit) {
                calls.add("maxima " + layer);
                return IN_JVM.maxima(m, layer, data, limit);
            }
        };
        // two layers of 4 units in sheets of 2: two examples passes per layer, one maxima pass
        Atlas.AtlasSite s = Atlas.of(model).layers("conv1", "conv2").units(4).sheet(2).steps(4).size(48).examples(2)
                .levels(3).negative(false).neuron(false).tuning(null).data(World.scenes(2024, 24)).passes(counting)
                .write(dir);
        assertEquals(8, s.written());
        assertEquals(List.of("maxima conv1", "examples [conv1:0, conv1:1]", "examples [conv1:2, conv1:3]",
                "maxima conv2", "examples [conv2:0, conv2:1]", "examples [conv2:2, conv2:3]"), calls);
        // the histogram of the second batch's unit is its own channel's, not the first batch's
        DatasetPasses.LayerMaxima m = DatasetPasses.IN_JVM.maxima(model, "conv2", World.scenes(2024, 24), -1);
        String page = Files.readString(dir.resolve("conv2/unit-3.html"));
        float top = m.channels().get(3)[0];
        for (float v : m.channels().get(3)) {
            top = Math.max(top, v);
        }
        String range = String.format(java.util.Locale.ROOT, " to %.4g;", top);
        assertTrue(page.contains(range), "conv2:3's page does not show its maximum" + range);
    }

    @Test
    void aDictionaryOnALayerTheAtlasDoesNotDrawIsRefused(@TempDir Path dir) {
        FeatureDictionary d = FeatureDictionary.learning(model, "conv3").method(FeatureDictionary.Method.PCA)
                .images(8).positions(16).spliceImages(0).learn(World.scenes(7, 8), Progress.NONE);
        org.circuitscope.model.ModelException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.circuitscope.model.ModelException.class, () -> Atlas.of(model).layers("conv1").dictionary(d)
                        .write(dir));
        assertTrue(e.getMessage().contains("conv3") && e.getMessage().contains("does not draw"), e.getMessage());
    }

    /** Fails when an image is one colour (an empty figure). */
    static void assertNotBlank(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        int first = img.getRGB(0, 0);
        int differ = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                differ += img.getRGB(x, y) != first ? 1 : 0;
            }
        }
        assertTrue(differ > img.getWidth() * img.getHeight() / 200, png + " is blank");
    }

}
