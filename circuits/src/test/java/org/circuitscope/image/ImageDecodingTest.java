package org.circuitscope.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.Sample;
import org.circuitscope.organism.World;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image files that used to come out silently wrong, written here and read back the way the magics read folders
 * (ImageFolder, then Images.toTensor): Adobe CMYK JPEGs, 16-bit grey PNGs, grey JPEGs already at the input size.
 * Each must give the tensor its pixels mean; an image declaring a huge size is refused before it is decoded.
 */
class ImageDecodingTest {

    /** A picture with the colours of a real scene: an organism world scene, enlarged. */
    private static BufferedImage scene() {
        BufferedImage small = World.scene(3, 5).render();
        return Images.resize(small, 128, 128);
    }

    private static double mean(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        return s / t.size();
    }

    private static double meanAbsDiff(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += Math.abs(a.data()[i] - b.data()[i]);
        }
        return s / a.size();
    }

    /** The one image of a folder holding only {@code file}, as a tensor at {@code size}. */
    private static Tensor viaFolder(Path dir, int size) {
        List<Sample> samples = new java.util.ArrayList<>();
        ImageFolder folder = ImageFolder.of(dir);
        folder.forEach(samples::add);
        assertEquals(List.of(), folder.problems());
        assertEquals(1, samples.size());
        return Images.toTensor(List.of(samples.get(0).image()), size, size);
    }

    @Test
    void adobeCmykJpegGivesTheColoursOfItsRgbSource(@TempDir Path dir) throws IOException {
        BufferedImage rgb = scene();
        Files.write(dir.resolve("cmyk.jpg"), TestImages.adobeCmykJpeg(rgb));
        Tensor want = Images.toTensor(List.of(rgb), 128, 128);
        Tensor got = viaFolder(dir, 128);
        System.out.printf("CMYK JPEG: tensor mean %.3f, its RGB source %.3f, mean |difference| %.3f%n", mean(got),
                mean(want), meanAbsDiff(got, want));
        assertEquals(mean(want), mean(got), 0.02, "mean of the decoded CMYK JPEG");
        assertTrue(meanAbsDiff(got, want) < 0.05, "pixels differ by " + meanAbsDiff(got, want) + " on average");
    }

    @Test
    void sixteenBitGreyPngIsNotBrightened(@TempDir Path dir) throws IOException {
        int w = 64;
        int h = 64;
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 65535 / (w - 1) + y * 300) % 65536;
                grey.getRaster().setSample(x, y, 0, v);
                sum += v / 65535.0;
            }
        }
        ImageIO.write(grey, "png", dir.resolve("grey16.png").toFile());
        double want = sum / (w * h);
        // at its own size, and resized to a model's input size
        Tensor same = viaFolder(dir, 64);
        assertEquals(want, mean(same), 0.005, "mean of the 16-bit grey PNG at its size");
        Tensor resized = viaFolder(dir, 32);
        System.out.printf("16-bit grey PNG: tensor mean %.3f (resized %.3f), its samples %.3f%n", mean(same),
                mean(resized), want);
        assertEquals(want, mean(resized), 0.01, "mean of the resized 16-bit grey PNG");
    }

    @Test
    void greyJpegAtTheInputSizeIsNotBrightened(@TempDir Path dir) throws IOException {
        int s = 64;
        BufferedImage grey = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_GRAY);
        double sum = 0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int v = 20 + (x * 3 + y) % 160;
                grey.getRaster().setSample(x, y, 0, v);
                sum += v;
            }
        }
        ImageIO.write(grey, "jpeg", dir.resolve("grey.jpg").toFile());
        double want = sum / (s * s) / 255;
        Tensor atSize = viaFolder(dir, s);
        Tensor resized = viaFolder(dir, 48);
        System.out.printf("grey JPEG: tensor mean at its size %.1f, resized %.1f, its samples %.1f (of 255)%n",
                255 * mean(atSize), 255 * mean(resized), 255 * want);
        assertEquals(want, mean(atSize), 0.01, "mean of the grey JPEG at the input size");
        assertEquals(want, mean(resized), 0.01, "mean of the resized grey JPEG");
        // all three channels carry the grey value
        float[] d = atSize.data();
        int plane = s * s;
        for (int i = 0; i < plane; i += 97) {
            assertEquals(d[i], d[plane + i], 1e-6);
            assertEquals(d[i], d[2 * plane + i], 1e-6);
        }
    }

    @Test
    void imageDeclaringAHugeSizeIsRefusedBeforeDecoding(@TempDir Path dir) throws IOException {
        byte[] b = TestImages.pngDeclaring(200_000, 200_000);
        Files.write(dir.resolve("huge.png"), b);
        Files.write(dir.resolve("ok.png"), TestImages.png(4));
        ImageFolder folder = ImageFolder.of(dir);
        long t0 = System.nanoTime();
        List<Sample> read = new java.util.ArrayList<>();
        folder.forEach(read::add);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, read.size(), "the good image is read");
        assertEquals(1, folder.problems().size(), folder.problems().toString());
        String p = folder.problems().get(0);
        assertTrue(p.startsWith("huge.png") && p.contains("200000x200000"), p);
        assertTrue(millis < 2000, "refused in " + millis + " ms");
    }
}
