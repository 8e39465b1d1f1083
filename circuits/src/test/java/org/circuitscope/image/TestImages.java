package org.circuitscope.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image files that readers get wrong or that should be refused, written in tests (here and in the magics'). */
public final class TestImages {
    private TestImages() {
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
    public static byte[] adobeCmykJpeg(BufferedImage rgb) throws IOException {
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

    /** An 8-bit RGB PNG of side {@code side}. */
    public static byte[] png(int side) {
        return encode(new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB), "png");
    }

    /** A grey image: 16-bit ({@code TYPE_USHORT_GRAY}) or 8-bit, a diagonal gradient. */
    public static BufferedImage grey(int side, boolean sixteenBits) {
        BufferedImage g = new BufferedImage(side, side, sixteenBits ? BufferedImage.TYPE_USHORT_GRAY
                : BufferedImage.TYPE_BYTE_GRAY);
        int max = sixteenBits ? 65535 : 255;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                g.getRaster().setSample(x, y, 0, (x + y) * max / (2 * side - 2));
            }
        }
        return g;
    }

    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer for " + img);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A small PNG whose header declares {@code width}×{@code height} (the IHDR checksum fixed up). */
    public static byte[] pngDeclaring(int width, int height) {
        byte[] b = png(4);
        // IHDR is the first chunk: 8-byte signature, length, "IHDR", width, height, ...; then its CRC
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.putInt(16, width);
        buf.putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        return b;
    }
}
