package org.circuitscope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.SmallModels;
import org.circuitscope.model.Model;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {

    private static byte[] jpeg(Color c) throws IOException {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, 40, 30);
        g.setColor(Color.WHITE);
        g.drawLine(0, 0, 39, 29);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    private static Path folderWithCorruptFiles(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("cats"));
        Files.createDirectories(dir.resolve("dogs/puppies"));
        Files.write(dir.resolve("cats/a.jpg"), jpeg(Color.RED));
        Files.write(dir.resolve("cats/b.jpg"), jpeg(Color.GREEN));
        Files.write(dir.resolve("dogs/c.jpg"), jpeg(Color.BLUE));
        Files.write(dir.resolve("dogs/puppies/d.png"), jpeg(Color.GRAY)); // a JPEG named .png still decodes
        Files.writeString(dir.resolve("dogs/notes.txt"), "not an image, not listed");
        Files.write(dir.resolve("cats/garbage.jpg"), "this is not a JPEG at all".getBytes());
        byte[] good = jpeg(Color.ORANGE);
        Files.write(dir.resolve("dogs/truncated.jpg"), Arrays.copyOf(good, good.length / 2));
        return dir;
    }

    @Test
    void folderReportsCorruptFilesAndReadsTheRest(@TempDir Path dir) throws IOException {
        ImageFolder folder = ImageFolder.of(folderWithCorruptFiles(dir));
        assertEquals(6, folder.size().getAsInt());
        List<Sample> read = new ArrayList<>();
        folder.forEach(read::add);
        assertEquals(List.of("cats/a.jpg", "cats/b.jpg", "dogs/c.jpg", "dogs/puppies/d.png"),
                read.stream().map(Sample::id).toList());
        assertEquals(List.of("cats", "cats", "dogs", "puppies"), read.stream().map(Sample::label).toList());
        assertEquals(List.of("cats", "dogs", "puppies"), folder.labels());
        List<String> problems = folder.problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("cats/garbage.jpg: "), problems.toString());
        assertTrue(problems.get(1).startsWith("dogs/truncated.jpg: "), problems.toString());

        // the same through an activations run: the rows of the readable images, the problems listed
        try (Model model = SmallModels.convNet()) {
            ActivationResult res = Activations.of(model).layers("r1").batchSize(2).run(ImageFolder.of(dir));
            assertEquals(4, res.images());
            assertEquals(2, res.problems().size());
            assertTrue(res.problems().get(0).contains("garbage.jpg"));
            assertTrue(((String) res.representations().get("text/html")).contains("truncated.jpg"));
        }
    }

    @Test
    void labelsFromFileNamesAndTransforms(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("n01440764_tench.JPEG"), jpeg(Color.RED));
        Files.write(dir.resolve("n01443537_goldfish.JPEG"), jpeg(Color.RED));
        Files.write(dir.resolve("other.jpg"), jpeg(Color.RED));
        ImageFolder f = ImageFolder.of(dir).labelsFromFileName("^(n\\d+)_").transform(img -> new BufferedImage(7, 5,
                BufferedImage.TYPE_INT_RGB));
        List<Sample> s = new ArrayList<>();
        f.forEach(s::add);
        assertEquals("n01440764", s.get(0).label());
        assertEquals("n01443537", s.get(1).label());
        assertNull(s.get(2).label());
        assertEquals(7, s.get(0).image().getWidth());
        ImageFolder named = ImageFolder.of(dir).labelsFromFileName("_(?<label>[a-z]+)\\.");
        assertEquals(List.of("goldfish", "tench"), named.labels());
    }

    @Test
    void listsGeneratedSourcesAndLimits() {
        ImageList list = ImageList.of("three", SmallModels.randomImages(3, 8, 1), List.of("a", "b", "a"));
        assertEquals(List.of("a", "b"), list.labels());
        assertEquals(2, list.limit(2).size().getAsInt());
        int[] made = {0};
        GeneratedSource g = GeneratedSource.of("gen", 1000, i -> {
            made[0]++;
            return new Sample("g" + i, null, new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));
        });
        Iterator<Sample> it = g.iterator();
        assertEquals(5, ImageSource.nextBatch(it, 5).size());
        assertEquals(5, made[0], "generated lazily, batch by batch");
        assertEquals(10, ImageSource.nextBatch(g.limit(10).iterator(), 50).size());
    }

    @Test
    void cifar10BatchHas10000ImagesWith1000PerClass() {
        Path file = SharedFixtures.require("data/cifar10/data_batch_1.bin");
        Cifar10 cifar = Cifar10.batch(file);
        assertEquals(10_000, cifar.size().getAsInt());
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                "truck"), cifar.labels());
        Map<String, Integer> perClass = new TreeMap<>();
        int n = 0;
        for (Sample s : cifar) {
            assertEquals(32, s.image().getWidth());
            assertEquals(32, s.image().getHeight());
            perClass.merge(s.label(), 1, Integer::sum);
            n++;
        }
        assertEquals(10_000, n);
        assertEquals(10, perClass.size());
        perClass.values().forEach(c -> assertEquals(1000, c));
        assertTrue(cifar.problems().isEmpty());
    }

    @Test
    void cifar10RecordLayoutAndTruncation(@TempDir Path dir) throws IOException {
        byte[] rec = new byte[Cifar10.RECORD * 2 + 100];
        rec[0] = 3;
        rec[1] = (byte) 200;              // R of pixel (0,0)
        rec[1 + 1024 + 33] = (byte) 100;  // G of pixel (1,1)
        rec[1 + 2048 + 1023] = (byte) 50; // B of pixel (31,31)
        rec[Cifar10.RECORD] = 9;
        Files.write(dir.resolve("data_batch_x.bin"), rec);
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
        Cifar10 c = Cifar10.batch(dir.resolve("data_batch_x.bin"));
        List<Sample> s = new ArrayList<>();
        c.forEach(s::add);
        assertEquals(2, s.size());
        assertEquals("d", s.get(0).label());
        assertEquals("j", s.get(1).label());
        BufferedImage img = s.get(0).image();
        assertEquals(200, (img.getRGB(0, 0) >> 16) & 0xff);
        assertEquals(100, (img.getRGB(1, 1) >> 8) & 0xff);
        assertEquals(50, img.getRGB(31, 31) & 0xff);
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).contains("#2") && c.problems().get(0).contains("ends inside"),
                c.problems().toString());
        assertFalse(c.labels().isEmpty());
    }
}
