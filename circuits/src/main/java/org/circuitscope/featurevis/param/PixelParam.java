package org.circuitscope.featurevis.param;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * One parameter per pixel and channel: image = sigmoid(p), optionally through the colour decorrelation (which is
 * defined for RGB only: other channel counts are optimised as they are).
 */
final class PixelParam implements ImageParam {
    private final boolean decorrelate;
    private final double sd;

    PixelParam(boolean decorrelate, double sd) {
        this.decorrelate = decorrelate;
        this.sd = sd;
    }

    @Override
    public String name() {
        return decorrelate ? "pixel (decorrelated)" : "pixel";
    }

    @Override
    public Instance create(int batch, int channels, int height, int width, Random random,
                           List<BufferedImage> start) {
        boolean mix = decorrelate && channels == 3;
        float[] v;
        if (start == null || start.isEmpty()) {
            v = new float[batch * channels * height * width];
            ImageParams.gaussian(v, random, sd);
        } else {
            v = ImageParams.startLogits(start, batch, channels, height, width);
            if (mix) {
                ImageParams.unmixColours(v, height * width, batch);
            }
        }
        float[] values = v;
        long[] shape = {batch, channels, height, width};
        return new Instance() {
            @Override
            public float[] values() {
                return values;
            }

            @Override
            public long[] shape() {
                return shape.clone();
            }

            @Override
            public NDArray images(NDArray p) {
                return ImageParams.sigmoid(mix ? ImageParams.mixColours(p) : p);
            }

            @Override
            public int batch() {
                return batch;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public int channels() {
                return channels;
            }

            @Override
            public int width() {
                return width;
            }
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
