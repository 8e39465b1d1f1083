package org.circuitscope.magics.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.MagicProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** %activations on the embedded model and its world, folders and stimuli. */
class ActivationsMagicTest {
    private final ActivationsMagic magic = new ActivationsMagic();
    private final InMemoryContext context = new InMemoryContext();

    private Object run(String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void worldScenesIntoATableStoredAsAVariable() throws Exception {
        ActivationResult r = assertInstanceOf(ActivationResult.class,
                run("world:40 --layers conv3,logits --reduce max --batch 16 --as acts"));
        assertEquals(40, r.images());
        Table acts = assertInstanceOf(Table.class, context.variables.get("acts"));
        assertEquals(40 * (48 + 8), acts.rowCount());
        assertEquals(List.of("image", "label", "layer", "channel", "value"), acts.columnNames());
        assertTrue(acts.stringColumn("label").asSet().size() > 3);
        assertTrue(context.variables.get("actsResult") instanceof ActivationResult);
        assertTrue(((String) r.representations().get("text/html")).contains("<table"));
        run("world:10 --layers conv2 --wide --as w");
        assertEquals(10, ((Table) context.variables.get("w")).rowCount());
        assertTrue(MagicProvider.all().stream().anyMatch(m -> m.name().equals("activations")));
    }

    @Test
    void foldersReportUnreadableFilesAndStimuliWork(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        Files.createDirectories(dir.resolve("a"));
        ImageIO.write(img, "png", dir.resolve("a/one.png").toFile());
        ImageIO.write(img, "png", dir.resolve("a/two.png").toFile());
        Files.writeString(dir.resolve("a/broken.jpg"), "garbage");
        ActivationResult r = (ActivationResult) run(dir + " --layers conv1 --reduce mean");
        assertEquals(2, r.images());
        assertEquals(1, r.problems().size());
        assertTrue(r.problems().get(0).contains("broken.jpg"));
        ActivationResult s = (ActivationResult) run("curves?orient=0:360:90&radius=6 --layers conv2 --reduce center");
        assertEquals(4, s.images());
        assertEquals("curve#3", s.ids().get(3));
    }

    @Test
    void badInputGivesSpecificMessages() {
        MagicException noLayers = assertThrows(MagicException.class, () -> run("world:5"));
        assertTrue(noLayers.getMessage().contains("--layers"));
        MagicException noSource = assertThrows(MagicException.class, () -> run("/no/such/place --layers conv1"));
        assertTrue(noSource.getMessage().contains("no folder at /no/such/place"), noSource.getMessage());
        MagicException badLayer = assertThrows(MagicException.class, () -> run("world:5 --layers conv9"));
        assertTrue(badLayer.getMessage().contains("conv"), badLayer.getMessage());
        MagicException badReduce = assertThrows(MagicException.class,
                () -> run("world:5 --layers conv1 --reduce median"));
        assertTrue(badReduce.getMessage().contains("max, mean, center or none"));
        MagicException cifar = assertThrows(MagicException.class, () -> run("cifar10:/nope.bin --layers conv1"));
        assertTrue(cifar.getMessage().contains("no CIFAR-10 batch file"));
    }
}
