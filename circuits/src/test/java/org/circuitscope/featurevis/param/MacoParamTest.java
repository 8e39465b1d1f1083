package org.circuitscope.featurevis.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.circuitscope.image.Images;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/** MACO keeps the natural magnitudes whatever the phases, and its spectrum is the one fitted to ImageNet. */
class MacoParamTest {

    @Test
    void theImageHasTheNaturalMagnitudesAndThePhasesOptimised() {
        int h = 24;
        int w = 32;
        int wf = w / 2 + 1;
        ImageParam.Instance inst = ImageParams.maco().create(2, h, w, new Random(3), List.of());
        float[] magnitude = NaturalSpectrum.IMAGENET.magnitude(h, w);
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            float[] phases = inst.values();
            NDArray img = inst.images(m.create(phases, new Shape(inst.shape())));
            assertEquals(new Shape(2, 3, h, w), img.getShape());
            // back through the sigmoid and the colour mix: the standardised image
            float[] t = img.toFloatArray();
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) Math.log(t[i] / (1 - t[i]));
            }
            ImageParams.unmixColours(t, h * w, 2);
            NDArray spectrum = ((PtNDArray) m.create(t, new Shape(2, 3, h, w)).rfft(w, 3).fft(h, 2)).real();
            float[] ri = spectrum.toFloatArray();
            for (int n = 0; n < 2; n++) {
                double ratio = Double.NaN;
                for (int c = 0; c < 3; c++) {
                    for (int ky = 0; ky < h; ky++) {
                        // the columns irfft counts twice hold free phases; columns 0 and w/2 are made Hermitian
                        for (int k = 1; k < wf - 1; k++) {
                            int i = ((n * 3 + c) * h + ky) * wf + k;
                            double re = ri[2 * i];
                            double im = ri[2 * i + 1];
                            double r = Math.hypot(re, im) / magnitude[(c * h + ky) * wf + k];
                            ratio = Double.isNaN(ratio) ? r : ratio;
                            assertEquals(ratio, r, 2e-3 * ratio, "magnitude of " + n + "," + c + "," + ky + "," + k);
                            double phase = Math.atan2(im, re);
                            double want = phases[i];
                            double diff = Math.abs(Math.IEEEremainder(phase - want, 2 * Math.PI));
                            assertTrue(diff < 2e-3, "phase of " + n + "," + c + "," + ky + "," + k + ": " + phase
                                    + " vs " + want);
                        }
                    }
                }
            }
        }
    }

    @Test
    void imagenetSpectrumIsThePowerLawFittedToTheSharedSamples() throws IOException {
        Path dir = SharedFixtures.imagenetSamples();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList();
        }
        List<BufferedImage> images = new ArrayList<>();
        for (Path p : files) {
            images.add(Images.resizeAndCenterCrop(ImageIO.read(p.toFile()), 144, 128));
        }
        NaturalSpectrum fitted = NaturalSpectrum.fit(images);
        System.out.println("fitted to " + images.size() + " ImageNet samples: " + fitted);
        for (int c = 0; c < 3; c++) {
            assertEquals(NaturalSpectrum.IMAGENET.amplitude()[c], fitted.amplitude()[c], 0.005, "amplitude " + c);
            assertEquals(NaturalSpectrum.IMAGENET.exponent()[c], fitted.exponent()[c], 0.005, "exponent " + c);
        }
        // natural images fall off about as 1/f, and the colour channels are weaker than brightness
        assertTrue(fitted.exponent()[0] > 0.9 && fitted.exponent()[0] < 1.3);
        assertTrue(fitted.amplitude()[2] < fitted.amplitude()[0]);
    }
}
