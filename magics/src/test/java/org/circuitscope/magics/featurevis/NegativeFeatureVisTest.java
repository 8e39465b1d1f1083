package org.circuitscope.magics.featurevis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.image.Images;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.LoadedModels;
import org.circuitscope.model.Model;
import org.circuitscope.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code %featurevis layer:c --negative} on a layer that follows a ReLU minimises the unit before the ReLU (after
 * it the unit cannot go below 0, and minimising it only switches it off), and says so.
 */
class NegativeFeatureVisTest {
    private static final FeatureVisMagic MAGIC = new FeatureVisMagic();
    private static InMemoryContext context;

    @BeforeAll
    static void load() {
        context = new InMemoryContext();
    }

    @AfterAll
    static void close() {
        LoadedModels.of(context.session()).all().values().forEach(Model::close);
    }

    private static Object run(String line) throws Exception {
        return MAGIC.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    /** The channel's mean over positions on the image. */
    private static double channelMean(Model m, java.awt.image.BufferedImage img, String layer, int channel) {
        Tensor t = m.run(Images.toTensor(List.of(img), img.getHeight(), img.getWidth()), layer).get(layer);
        int plane = (int) (t.dim(2) * t.dim(3));
        double s = 0;
        for (int k = 0; k < plane; k++) {
            s += t.data()[channel * plane + k];
        }
        return s / plane;
    }

    @Test
    void negativeAfterAReluOptimisesThePreActivationAndSaysSo() throws Exception {
        FeatureVisResult r = (FeatureVisResult) run("conv4:3 --negative --steps 48 --size 64");
        Model organism = LoadedModels.of(context.session()).all().values().iterator().next();
        assertEquals("-conv4_pre_relu:3", r.objective());
        assertTrue(r.note().contains("conv4:3 follows a ReLU") && r.note().contains("conv4_pre_relu:3"), r.note());
        assertTrue(r.toString().contains("before the ReLU, at conv4_pre_relu:3"), r.toString());
        assertTrue(((String) r.representations().get("text/html")).contains("follows a ReLU"));
        double[] t = r.trace();
        // the pre-activation is pushed well below 0; after the ReLU the objective could only have crept up to 0
        double pre = channelMean(organism, r.image(), "conv4_pre_relu", 3);
        System.out.printf("conv4:3 negative: objective %.3f → %.3f, pre-ReLU mean on the image %.3f%n", t[0],
                t[t.length - 1], pre);
        assertTrue(t[t.length - 1] > t[0] + 1, "the objective rises: " + t[0] + " → " + t[t.length - 1]);
        assertTrue(pre < -1, "conv4_pre_relu:3 is pushed below 0: " + pre);
        // a layer without a ReLU before it keeps its own unit
        FeatureVisResult same = (FeatureVisResult) run("conv4_pre_relu:3 --negative --steps 2 --size 64");
        assertEquals("-conv4_pre_relu:3", same.objective());
        assertEquals("", same.note());
    }
}
