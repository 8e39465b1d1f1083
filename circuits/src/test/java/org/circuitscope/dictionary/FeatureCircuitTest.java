package org.circuitscope.dictionary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.circuitscope.circuit.Circuit;
import org.circuitscope.circuit.CircuitEdge;
import org.circuitscope.circuit.CircuitResult;
import org.circuitscope.data.ImageList;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.weights.PlantedModels;
import org.circuitscope.weights.Thumbnails;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Circuits whose units are dictionary features, on the planted fire model (squeeze_relu, 2 channels → expand1 1×1
 * and expand3 3×3 → cat, 6 channels), with hand-made dictionaries: {@code up}, three rectified features on
 * {@code cat}, and {@code rot}, an orthonormal rotation of squeeze_relu's two channels (PCA-like: not rectified, so
 * it reconstructs the layer exactly). Every check here fails if a feature is read as the channel of the same index.
 */
class FeatureCircuitTest {
    static final float[][] ENC = {{1, 0, -0.5f, 0.25f, 0, 1}, {0, 1, 1, 0, -1, 0}, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f,
            0.5f}};
    static final float C = 0.8f;
    static final float S = 0.6f;
    static Model model;
    static ImageSource data;
    static FeatureDictionary up;
    static FeatureDictionary rot;
    static Map<String, FeatureDictionary> dicts;

    @BeforeAll
    static void load() {
        model = PlantedModels.fire();
        Random r = new Random(4);
        List<BufferedImage> images = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            images.add(img);
        }
        data = ImageList.of(images);
        up = VirtualWeightsTest.handMade("up", "cat", 6, ENC);
        float[] rows = {C, S, -S, C};
        rot = new FeatureDictionary("rot", FeatureDictionary.Method.PCA, "planted", "squeeze_relu", 2, 2, 0, 0,
                rows.clone(), new float[2], rows.clone(), new float[2], null);
        dicts = Map.of("up", up, "rot", rot);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void featuresAtAPositionParseInTheOnePlaceUnitsAreParsed() {
        Unit.FeatureAt fa = assertInstanceOf(Unit.FeatureAt.class, Unit.parse("cat/up:1@2,3", dicts));
        assertEquals(up.feature(1), fa.feature());
        assertEquals(2, fa.y());
        assertEquals(3, fa.x());
        assertEquals("cat/up:1@2,3", fa.toString());
        assertEquals("cat", fa.layer());
        assertEquals(Unit.neuron("cat/nodict", 1, 2, 3), Unit.parse("cat/nodict:1@2,3", dicts), "not a dictionary");
        assertThrows(ModelException.class, () -> Unit.parse("cat/up:1@2", dicts));
        assertTrue(assertThrows(ModelException.class, () -> Unit.parse("cat/up:3@0,0", dicts)).getMessage()
                .contains("3 features"));
    }

    @Test
    void edgesIntoAFeatureAreItsVirtualWeightsNotTheChannelsKernels() {
        CircuitResult c = Circuit.of(model, "cat/up:0", dicts).depth(1).top(6).thumbnails(Thumbnails.none())
                .build();
        assertEquals(up.feature(0), c.unit());
        VirtualWeights fromChannels = VirtualWeights.between(model, "squeeze_relu", null, null, up);
        assertEquals(2, c.edges().size(), c.edges().toString());
        for (CircuitEdge e : c.edges()) {
            assertEquals(up.feature(0), e.to());
            Unit.Channel from = assertInstanceOf(Unit.Channel.class, e.from());
            assertEquals("squeeze_relu", from.layer());
            assertEquals(3, e.kh(), "the 1×1 and 3×3 expands read as one 3×3 path");
            assertArrayEquals(fromChannels.kernel(0, from.channel()), e.kernel(), 1e-6f, e.toString());
        }
        // the channel with the feature's index is a different unit with different weights (expand1's 1×1)
        CircuitResult channel = Circuit.of(model, "cat:0").depth(1).top(6).thumbnails(Thumbnails.none()).build();
        assertEquals(1, channel.edges().get(0).kh());
        assertEquals(List.of("cat/up", "squeeze_relu"), c.rows());

        // inputs read through a dictionary on the lower layer: its features, by the full virtual weights
        CircuitResult f = Circuit.of(model, "cat/up:2", dicts).depth(1).top(6).layers("squeeze_relu/rot")
                .thumbnails(Thumbnails.none()).build();
        VirtualWeights between = VirtualWeights.between(model, null, rot, null, up);
        assertEquals(2, f.edges().size());
        for (CircuitEdge e : f.edges()) {
            Unit.Feature from = assertInstanceOf(Unit.Feature.class, e.from());
            assertEquals("rot", from.dictionary());
            assertArrayEquals(between.kernel(2, from.index()), e.kernel(), 1e-6f, e.toString());
        }
        assertEquals(List.of("cat/up", "squeeze_relu/rot"), f.rows());
        assertTrue(f.figure().image().getWidth() > 100);
        assertTrue(f.table().column("from").asStringColumn().asList().stream().allMatch(s -> s.startsWith(
                "squeeze_relu/rot:")));
    }

    @Test
    void thePruningCheckReadsTheFeatureItself() {
        // every input kept: the circuit recomputes the feature exactly from squeeze_relu
        CircuitResult c = Circuit.of(model, "cat/up:0", dicts).depth(1).top(2).data(data, 10)
                .thumbnails(Thumbnails.none()).build();
        double featureMean = meanOf(up.feature(0));
        double channelMean = meanOf(null);
        assertTrue(Math.abs(featureMean - channelMean) > 1e-3, featureMean + " vs " + channelMean);
        assertEquals(featureMean, c.pruning().actualMean(), 1e-4 * Math.max(1, Math.abs(featureMean)));
        assertEquals(1.0, c.explained(), 1e-4, c.pruning().toString());

        // through the rotation (an exact reconstruction of squeeze_relu): both features explain it all, one less
        CircuitResult both = Circuit.of(model, "cat/up:0", dicts).depth(1).top(2).layers("squeeze_relu/rot")
                .data(data, 10).thumbnails(Thumbnails.none()).build();
        assertEquals(1.0, both.explained(), 1e-4, both.pruning().toString());
        CircuitResult one = Circuit.of(model, "cat/up:0", dicts).depth(1).top(1).layers("squeeze_relu/rot")
                .data(data, 10).thumbnails(Thumbnails.none()).build();
        assertTrue(one.explained() < 0.999, one.pruning().toString());

        // two levels: rot's features in turn from relu1's four channels, all kept: exact again
        CircuitResult deep = Circuit.of(model, "cat/up:0", dicts).depth(2).top(4)
                .layers("squeeze_relu/rot", "relu1").data(data, 10).thumbnails(Thumbnails.none()).build();
        assertEquals(2 + 2 * 4, deep.edges().size());
        VirtualWeights low = VirtualWeights.between(model, "relu1", null, null, rot);
        for (CircuitEdge e : deep.edges()) {
            if (e.to() instanceof Unit.Feature f && f.dictionary().equals("rot")) {
                assertArrayEquals(low.kernel(f.index(), ((Unit.Channel) e.from()).channel()), e.kernel(), 1e-6f);
            }
        }
        assertEquals(1.0, deep.explained(), 1e-4, deep.pruning().toString());
    }

    @Test
    void attributionToFeaturesAddsUpToTheChannelsWhenTheyRotateThem() {
        // Σ_i (r_i·a)(r_i·g) = a·g for orthonormal rows r_i: the features' attributions sum to the channels'
        CircuitResult ch = Circuit.of(model, "cat/up:1", dicts).depth(1).top(2).by(Circuit.Ranking.ATTRIBUTION)
                .data(data, 10).prune(false).thumbnails(Thumbnails.none()).build();
        CircuitResult fe = Circuit.of(model, "cat/up:1", dicts).depth(1).top(2).by(Circuit.Ranking.ATTRIBUTION)
                .layers("squeeze_relu/rot").data(data, 10).prune(false).thumbnails(Thumbnails.none()).build();
        double a = ch.edges().stream().mapToDouble(CircuitEdge::attribution).sum();
        double b = fe.edges().stream().mapToDouble(CircuitEdge::attribution).sum();
        assertTrue(Math.abs(a) > 1e-3, "a unit with something to attribute: " + a);
        assertEquals(a, b, 1e-4 * Math.abs(a), ch.edges() + " vs " + fe.edges());
        double[] perFeature = fe.edges().stream().mapToDouble(CircuitEdge::attribution).toArray();
        double[] perChannel = ch.edges().stream().mapToDouble(CircuitEdge::attribution).toArray();
        assertFalse(Arrays.equals(perFeature, perChannel), "features are not the channels");
    }

    @Test
    void aFeatureNeedsItsDictionary() {
        assertTrue(assertThrows(ModelException.class, () -> Circuit.of(model, (Unit) up.feature(0)).depth(1)
                .thumbnails(Thumbnails.none()).build()).getMessage().contains("'up'"));
        assertThrows(ModelException.class, () -> Circuit.of(model, "cat/up:0", dicts).layers("squeeze_relu/nosuch")
                .thumbnails(Thumbnails.none()).build());
    }

    /** The mean over the data of feature {@code f}'s map on cat (of channel 0 when f is null). */
    private static double meanOf(Unit.Feature f) {
        double sum = 0;
        long n = 0;
        for (java.util.Iterator<org.circuitscope.data.Sample> it = data.iterator(); it.hasNext(); ) {
            Tensor t = model.run(List.of(it.next().image()), "cat").get("cat");
            int hw = (int) (t.shape()[2] * t.shape()[3]);
            for (int p = 0; p < hw; p++) {
                sum += f == null ? t.data()[p] : f.at(t.data(), 0, hw, p);
                n++;
            }
        }
        return sum / n;
    }
}
