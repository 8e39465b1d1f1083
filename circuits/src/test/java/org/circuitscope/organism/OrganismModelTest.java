package org.circuitscope.organism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.onnx.proto.Onnx;
import org.junit.jupiter.api.Test;

/** The committed organism.onnx: small, self-describing, and right on fresh scenes (run in ONNX Runtime). */
class OrganismModelTest {

    /** A world never used in training (training used seed 7 and held out OrganismTrainer.heldOutSeed(7)). */
    private static final long FRESH_SEED = 20_251_107L;

    @Test
    void committedModelIsSmallAndSaysHowToFeedIt() throws Exception {
        byte[] bytes = Organism.onnxBytes();
        assertTrue(bytes.length > 100_000 && bytes.length < 5_000_000, "size " + bytes.length);
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(bytes);
        Map<String, String> meta = new HashMap<>();
        m.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertEquals(World.CLASSES, List.of(meta.get("labels").split("\n")));
        assertEquals("RGB", meta.get("input.channel_order"));
        assertEquals("64", meta.get("input.size"));
        assertTrue(meta.get("source").contains("--seed " + Organism.TRAINING_SEED), meta.get("source"));
        assertEquals("circuitscope", m.getProducerName());
        assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOutput(0).equals("conv5")));
        assertTrue(OrganismTrainer.heldOutSeed(Organism.TRAINING_SEED) != FRESH_SEED);
    }

    @Test
    void committedModelIsRightOnFreshScenes() throws Exception {
        int count = 1000;
        int batch = 100;
        int plane = 3 * World.SIZE * World.SIZE;
        int k = World.CLASSES.size();
        int right = 0;
        int[] seen = new int[k];
        int[] hit = new int[k];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Organism.onnxBytes(), new OrtSession.SessionOptions())) {
            for (int from = 0; from < count; from += batch) {
                float[] x = new float[batch * plane];
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    Scene scene = World.scene(FRESH_SEED, from + i);
                    World.toChw(scene.render(), x, i * plane);
                    labels[i] = World.CLASSES.indexOf(scene.label());
                }
                OrganismNet.normalize(x);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                        new long[] {batch, 3, World.SIZE, World.SIZE});
                        OrtSession.Result r = s.run(Map.of("input", in))) {
                    float[][] logits = (float[][]) r.get("logits").orElseThrow().getValue();
                    for (int i = 0; i < batch; i++) {
                        int best = 0;
                        for (int c = 1; c < k; c++) {
                            if (logits[i][c] > logits[i][best]) {
                                best = c;
                            }
                        }
                        seen[labels[i]]++;
                        if (best == labels[i]) {
                            right++;
                            hit[labels[i]]++;
                        }
                    }
                }
            }
        }
        double acc = right / (double) count;
        StringBuilder perClass = new StringBuilder();
        for (int c = 0; c < k; c++) {
            perClass.append(String.format(" %s %d/%d", World.CLASSES.get(c), hit[c], seen[c]));
        }
        System.out.printf("organism.onnx held-out accuracy (ONNX Runtime, %d scenes of seed %d): %.4f;%s%n", count,
                FRESH_SEED, acc, perClass);
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
    }

    @Test
    void loadedByNameItMatchesOnnxRuntimeAndIsTheDefault() throws Exception {
        int n = 64;
        int plane = 3 * World.SIZE * World.SIZE;
        java.util.List<java.awt.image.BufferedImage> images = new java.util.ArrayList<>();
        float[] x = new float[n * plane];
        for (int i = 0; i < n; i++) {
            images.add(World.scene(FRESH_SEED + 1, i).render());
            World.toChw(images.get(i), x, i * plane);
        }
        OrganismNet.normalize(x);
        float[][] expected;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Organism.onnxBytes(), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                        new long[] {n, 3, World.SIZE, World.SIZE});
                OrtSession.Result r = s.run(Map.of("input", in))) {
            expected = (float[][]) r.get("logits").orElseThrow().getValue();
        }
        // RGB in [0, 1] goes in; the mean and std come from the model's metadata
        try (org.circuitscope.model.Model m = org.circuitscope.model.Models.load("organism")) {
            assertEquals("organism", m.name());
            assertEquals(World.CLASSES, m.labels());
            assertEquals(64, m.input().height());
            org.circuitscope.tensor.Tensor logits = m.logits(images);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < World.CLASSES.size(); c++) {
                    worst = Math.max(worst, Math.abs(logits.get(i, c) - expected[i][c])
                            / (1 + Math.abs(expected[i][c])));
                }
            }
            System.out.printf("organism: our importer vs ONNX Runtime on %d scenes, worst relative logit error %.2e%n",
                    n, worst);
            assertTrue(worst < 1e-4, "worst relative error " + worst);
        }
    }
}
