package org.circuitscope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.circuitscope.image.Images;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.circuitscope.testing.TopK;
import org.junit.jupiter.api.Test;

/** SqueezeNet 1.0 imported into DJL reaches the reference accuracy on the 1000 ImageNet samples. */
class SqueezeNetAccuracyTest {

    @Test
    void topOneAndTopFiveMatchTheReference() throws IOException {
        Path onnx = SharedFixtures.squeezenet();
        Path samples = SharedFixtures.imagenetSamples();
        List<Path> files;
        try (Stream<Path> s = Files.list(samples)) {
            files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList();
        }
        assertEquals(1000, files.size());
        int top1 = 0;
        int top5 = 0;
        try (Model model = Models.loadFile(onnx, null)) {
            assertEquals(227, model.input().height());
            assertTrue(model.input().bgr());
            int batch = 50;
            for (int start = 0; start < files.size(); start += batch) {
                List<BufferedImage> images = new ArrayList<>();
                for (Path f : files.subList(start, Math.min(files.size(), start + batch))) {
                    images.add(Images.resizeAndCenterCrop(ImageIO.read(f.toFile()), 256, 227));
                }
                Tensor logits = model.logits(images);
                for (int i = 0; i < images.size(); i++) {
                    int label = start + i; // files sorted by wnid: the class index is the rank
                    int rank = TopK.rankOf(logits, i, label);
                    top1 += rank == 0 ? 1 : 0;
                    top5 += rank < 5 ? 1 : 0;
                }
            }
        }
        double a1 = top1 / 1000.0;
        double a5 = top5 / 1000.0;
        System.out.printf("SqueezeNet 1.0 on 1000 ImageNet samples: top-1 %.3f (reference 0.660), top-5 %.3f "
                + "(reference 0.863)%n", a1, a5);
        assertEquals(0.660, a1, 0.01);
        assertEquals(0.863, a5, 0.01);
    }
}
