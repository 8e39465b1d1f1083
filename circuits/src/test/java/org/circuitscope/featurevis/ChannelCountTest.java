package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.circuitscope.featurevis.param.ImageParam;
import org.circuitscope.featurevis.param.ImageParams;
import org.circuitscope.image.Images;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.ChannelModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Models with one or four input channels load with no flags, and feature visualisation optimises images with that
 * many channels in every parameterisation: shown grey for one channel, RGB plus a grey view of the fourth.
 */
class ChannelCountTest {
    @TempDir
    Path dir;

    private Model load(int channels) throws Exception {
        Path f = dir.resolve("c" + channels + ".onnx");
        Files.write(f, channels == 1 ? ChannelModels.grey() : ChannelModels.fourChannels());
        return Models.load(f.toString());
    }

    @ParameterizedTest
    @CsvSource({"1, fft", "1, pixel", "1, maco", "4, fft", "4, pixel", "4, maco"})
    void featureVisualisationOptimisesEveryChannel(int channels, String param) throws Exception {
        try (Model m = load(channels)) {
            assertEquals(channels, m.input().channels());
            FeatureVisResult r = FeatureVis.of(m).objective("relu3:2").param(ImageParams.byName(param)).steps(48)
                    .size(32).seed(5).render();
            double[] trace = r.trace();
            assertTrue(trace[trace.length - 1] > trace[0] + 1e-3, param + " on " + channels
                    + " channels: objective " + trace[0] + " -> " + trace[trace.length - 1]);
            BufferedImage img = r.image();
            assertEquals(32, img.getHeight());
            // grey: one 32-px picture with R = G = B; four channels: RGB, a gap, the fourth channel
            if (channels == 1) {
                assertEquals(32, img.getWidth());
                for (int y = 0; y < 32; y += 7) {
                    for (int x = 0; x < 32; x += 5) {
                        int p = img.getRGB(x, y);
                        assertEquals(p & 0xff, (p >> 8) & 0xff);
                        assertEquals(p & 0xff, (p >> 16) & 0xff);
                    }
                }
            } else {
                assertEquals(2 * 32 + 2, img.getWidth());
            }
        }
    }

    @Test
    void parametersHaveTheModelsChannels() {
        for (ImageParam p : List.of(ImageParams.fourier(), ImageParams.pixel(true), ImageParams.maco())) {
            for (int c : new int[] {1, 2, 3, 5}) {
                ImageParam.Instance inst = p.create(2, c, 16, 16, new Random(1), List.of());
                assertEquals(c, inst.channels());
                assertEquals(c, inst.shape()[1], p.name());
            }
        }
    }

    @Test
    void picturesShowEveryChannel() {
        float[] d = new float[2 * 8 * 8];
        for (int i = 64; i < 128; i++) {
            d[i] = 1f;
        }
        Tensor two = new Tensor(new long[] {1, 2, 8, 8}, d);
        BufferedImage pic = Images.toPicture(two, 0);
        assertEquals(8 + 2 + 8, pic.getWidth());
        assertEquals(0, pic.getRGB(3, 3) & 0xffffff, "channel 0 is black");
        assertEquals(0xffffff, pic.getRGB(13, 3) & 0xffffff, "channel 1 is white");
        List<BufferedImage> each = Images.channelImages(two, 0);
        assertEquals(2, each.size());
        assertArrayEquals(new int[] {8, 8}, new int[] {each.get(1).getWidth(), each.get(1).getHeight()});
    }

    @Test
    void greyModelRunsOnColourPictures() throws Exception {
        try (Model m = load(1)) {
            BufferedImage colour = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
            Tensor t = m.input().images(List.of(colour));
            assertArrayEquals(new long[] {1, 1, 32, 32}, t.shape());
            assertArrayEquals(new long[] {1, 10}, m.logits(List.of(colour)).shape());
        }
    }
}
