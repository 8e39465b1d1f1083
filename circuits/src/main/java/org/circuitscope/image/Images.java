package org.circuitscope.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.util.List;
import org.circuitscope.tensor.Tensor;

/**
 * Conversions between images and [0, 1] tensors, and the resizes and crops that preprocessing needs. Every image
 * without alpha passes through {@link #toRgb} first, so a grey or 16-bit image gives the values a viewer shows.
 */
public final class Images {
    private Images() {
    }

    /** A batch N×3×H×W of RGB values in [0, 1]; images of another size are resized (bilinear) to H×W. */
    public static Tensor toTensor(List<BufferedImage> images, int height, int width) {
        return toTensor(images, height, width, 3);
    }

    /**
     * A batch N×C×H×W with values in [0, 1]: grey (ITU-R BT.601 luma) for one channel, RGB for three, RGBA for
     * four (opaque where the picture has no alpha). Images of another size are resized (bilinear) to H×W.
     */
    public static Tensor toTensor(List<BufferedImage> images, int height, int width, int channels) {
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("pictures convert to 1, 3 or 4 channels, not " + channels);
        }
        int plane = height * width;
        float[] data = new float[images.size() * channels * plane];
        int[] argb = new int[plane];
        for (int n = 0; n < images.size(); n++) {
            BufferedImage img = images.get(n);
            if (img == null) {
                throw new IllegalArgumentException("image " + n + " of the batch is null");
            }
            boolean keepAlpha = channels == 4 && img.getColorModel().hasAlpha();
            BufferedImage sized = img.getWidth() == width && img.getHeight() == height
                    ? (keepAlpha ? img : toRgb(img)) : resize(img, width, height, channels == 4);
            sized.getRGB(0, 0, width, height, argb, 0, width);
            boolean alpha = sized.getColorModel().hasAlpha();
            int base = n * channels * plane;
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                float r = ((p >> 16) & 0xff) / 255f;
                float g = ((p >> 8) & 0xff) / 255f;
                float b = (p & 0xff) / 255f;
                if (channels == 1) {
                    data[base + i] = 0.299f * r + 0.587f * g + 0.114f * b;
                    continue;
                }
                data[base + i] = r;
                data[base + plane + i] = g;
                data[base + 2 * plane + i] = b;
                if (channels == 4) {
                    data[base + 3 * plane + i] = alpha ? ((p >>> 24) & 0xff) / 255f : 1f;
                }
            }
        }
        return new Tensor(new long[] {images.size(), channels, height, width}, data);
    }

    /**
     * The image at {@code index} of an N×C×H×W [0, 1] tensor (values are clipped to [0, 1]): RGB from the first
     * three channels, or grey from a single channel. See {@link #toPicture} for a view of every channel.
     */
    public static BufferedImage toImage(Tensor batch, int index) {
        long[] s = batch.shape();
        int c = (int) s[1];
        if (c < 3) {
            if (c != 1) {
                throw new IllegalArgumentException("an image needs 1 or at least 3 channels, not " + c
                        + ": use Images.toPicture or channelImages");
            }
            return channelImages(batch, index).get(0);
        }
        int h = (int) s[2];
        int w = (int) s[3];
        int plane = h * w;
        float[] d = batch.data();
        int base = index * c * plane;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (byte8(d[base + i]) << 16) | (byte8(d[base + plane + i]) << 8) | byte8(d[base + 2 * plane + i]);
        }
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    /** Each channel of image {@code index} of an N×C×H×W [0, 1] tensor as a grey picture. */
    public static List<BufferedImage> channelImages(Tensor batch, int index) {
        long[] s = batch.shape();
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int plane = h * w;
        float[] d = batch.data();
        List<BufferedImage> out = new java.util.ArrayList<>(c);
        int[] rgb = new int[plane];
        for (int ch = 0; ch < c; ch++) {
            int base = (index * c + ch) * plane;
            for (int i = 0; i < plane; i++) {
                int v = byte8(d[base + i]);
                rgb[i] = v << 16 | v << 8 | v;
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, w, h, rgb, 0, w);
            out.add(img);
        }
        return out;
    }

    /**
     * How image {@code index} of an N×C×H×W [0, 1] tensor is shown: RGB for three channels, grey for one, and for
     * other counts the RGB (or grey) view followed, left to right with a white gap, by each remaining channel in
     * grey, so that no channel the model sees is hidden (an RGBA model's alpha, a multispectral band).
     */
    public static BufferedImage toPicture(Tensor batch, int index) {
        int c = (int) batch.shape()[1];
        if (c == 1 || c == 3) {
            return toImage(batch, index);
        }
        List<BufferedImage> tiles = new java.util.ArrayList<>();
        List<BufferedImage> grey = channelImages(batch, index);
        if (c > 3) {
            tiles.add(toImage(batch, index));
            tiles.addAll(grey.subList(3, c));
        } else {
            tiles.addAll(grey);
        }
        int w = tiles.get(0).getWidth();
        int h = tiles.get(0).getHeight();
        int gap = Math.max(2, w / 32);
        BufferedImage out = new BufferedImage(tiles.size() * w + (tiles.size() - 1) * gap, h,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), h);
            for (int i = 0; i < tiles.size(); i++) {
                g.drawImage(tiles.get(i), i * (w + gap), 0, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int byte8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    /**
     * The image as 8-bit sRGB ({@code TYPE_INT_RGB}); an image that already is one is returned as it is.
     *
     * <p>Grey images (8- or 16-bit, from JPEG or PNG) store values encoded for display, like sRGB, but Java2D tags
     * them with its linear grey colour space, so its own conversion ({@code getRGB}, drawing) brightens them: a
     * mid-grey 128 becomes 186. Here a grey sample is scaled to 0..255 and used for all three channels, which is
     * what image viewers and other libraries show.
     */
    public static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            Raster r = img.getRaster();
            double scale = 255.0 / ((1L << cm.getComponentSize(0)) - 1);
            int[] row = new int[w];
            int[] rgb = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = (int) Math.round(row[x] * scale);
                    rgb[x] = v << 16 | v << 8 | v;
                }
                out.setRGB(0, y, w, 1, rgb, 0, w);
            }
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Bilinear resize with Java2D (of the {@link #toRgb} image). */
    public static BufferedImage resize(BufferedImage img, int width, int height) {
        return resize(img, width, height, false);
    }

    private static BufferedImage resize(BufferedImage img, int width, int height, boolean keepAlpha) {
        BufferedImage out = new BufferedImage(width, height,
                keepAlpha && img.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(keepAlpha && img.getColorModel().hasAlpha() ? img : toRgb(img), 0, 0, width, height, null);
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
            g.drawImage(toRgb(img).getSubimage(x, y, width, height), 0, 0, null);
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
