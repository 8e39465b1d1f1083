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
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.World;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The organism's atlas: every link and image resolves, no figure is blank, a partial run continues. */
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
                "Strongest inputs", "Strongest outputs", "Tuning curve")) {
            assertTrue(conv2.contains(section), "conv2:0 has no " + section);
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
