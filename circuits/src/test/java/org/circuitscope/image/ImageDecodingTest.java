package org.circuitscope.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
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

    private static ImageWriter jdkJpegWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
        }
        throw new AssertionError("no JDK JPEG writer");
    }

    /**
     * The image as an Adobe CMYK JPEG, as Photoshop writes them: four channels holding inverted ink (255 = no
     * ink), and an APP14 "Adobe" marker with transform 0. The JDK's writer stores a 4-band raster's channels
     * as they are; the marker is put in after SOI.
     */
    static byte[] adobeCmykJpeg(BufferedImage rgb) throws IOException {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                double red = (p >> 16 & 255) / 255.0;
                double green = (p >> 8 & 255) / 255.0;
                double blue = (p & 255) / 255.0;
                double k = 1 - Math.max(red, Math.max(green, blue));
                double c = k >= 1 ? 0 : (1 - red - k) / (1 - k);
                double m = k >= 1 ? 0 : (1 - green - k) / (1 - k);
                double yel = k >= 1 ? 0 : (1 - blue - k) / (1 - k);
                r.setPixel(x, y, new int[] {255 - (int) Math.round(c * 255), 255 - (int) Math.round(m * 255),
                        255 - (int) Math.round(yel * 255), 255 - (int) Math.round(k * 255)});
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = jdkJpegWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(r, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    @Test
    void adobeCmykJpegGivesTheColoursOfItsRgbSource(@TempDir Path dir) throws IOException {
        BufferedImage rgb = scene();
        Files.write(dir.resolve("cmyk.jpg"), adobeCmykJpeg(rgb));
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
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", png);
        byte[] b = png.toByteArray();
        // IHDR is the first chunk: 8-byte signature, length, "IHDR", width, height, ...; then its CRC
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.putInt(16, 200_000);
        buf.putInt(20, 200_000);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        Files.write(dir.resolve("huge.png"), b);
        Files.write(dir.resolve("ok.png"), pngOf(4));
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

    private static byte[] pngOf(int side) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), "png", png);
        return png.toByteArray();
    }
}
