package org.circuitscope.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.circuitscope.tensor.Tensor;

/** Conversions between images and RGB [0, 1] tensors, and the resizes and crops that preprocessing needs. */
public final class Images {
    private Images() {
    }

    /** A batch N×3×H×W of RGB values in [0, 1]; images of another size are resized (bilinear) to H×W. */
    public static Tensor toTensor(List<BufferedImage> images, int height, int width) {
        int plane = height * width;
        float[] data = new float[images.size() * 3 * plane];
        int[] rgb = new int[plane];
        for (int n = 0; n < images.size(); n++) {
            BufferedImage img = images.get(n);
            if (img == null) {
                throw new IllegalArgumentException("image " + n + " of the batch is null");
            }
            BufferedImage sized = img.getWidth() == width && img.getHeight() == height ? img
                    : resize(img, width, height);
            sized.getRGB(0, 0, width, height, rgb, 0, width);
            int base = n * 3 * plane;
            for (int i = 0; i < plane; i++) {
                int p = rgb[i];
                data[base + i] = ((p >> 16) & 0xff) / 255f;
                data[base + plane + i] = ((p >> 8) & 0xff) / 255f;
                data[base + 2 * plane + i] = (p & 0xff) / 255f;
            }
        }
        return new Tensor(new long[] {images.size(), 3, height, width}, data);
    }

    /** The image at {@code index} of an N×3×H×W RGB [0, 1] tensor (values are clipped to [0, 1]). */
    public static BufferedImage toImage(Tensor batch, int index) {
        long[] s = batch.shape();
        int h = (int) s[2];
        int w = (int) s[3];
        int plane = h * w;
        float[] d = batch.data();
        int base = index * 3 * plane;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (byte8(d[base + i]) << 16) | (byte8(d[base + plane + i]) << 8) | byte8(d[base + 2 * plane + i]);
        }
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    private static int byte8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    /** Bilinear resize with Java2D. */
    public static BufferedImage resize(BufferedImage img, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The central {@code width}×{@code height} part of an image. */
    public static BufferedImage centerCrop(BufferedImage img, int width, int height) {
        int x = (img.getWidth() - width) / 2;
        int y = (img.getHeight() - height) / 2;
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException("cannot crop " + width + "x" + height + " from a "
                    + img.getWidth() + "x" + img.getHeight() + " image");
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img.getSubimage(x, y, width, height), 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The usual ImageNet evaluation preprocessing: resize to {@code resize}², then a centred {@code crop}². */
    public static BufferedImage resizeAndCenterCrop(BufferedImage img, int resize, int crop) {
        return centerCrop(resize(img, resize, resize), crop, crop);
    }
}
