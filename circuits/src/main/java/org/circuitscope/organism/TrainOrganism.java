package org.circuitscope.organism;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains the model organism and writes it as ONNX. Reproduces the committed
 * {@code org/circuitscope/models/organism/organism.onnx} with its defaults:
 *
 * <pre>
 * java -cp ... org.circuitscope.organism.TrainOrganism --seed 7 --width 16 --steps 1800 \
 *     --out circuits/src/main/resources/org/circuitscope/models/organism/organism.onnx
 * </pre>
 *
 * The superposition organism ({@code organism-superposition.onnx}: {@code conv4} has 8 channels, fewer than the
 * world's part types) is
 *
 * <pre>
 * java -cp ... org.circuitscope.organism.TrainOrganism --seed 7 --channels 16,32,48,8,64 --steps 2400 \
 *     --out circuits/src/main/resources/org/circuitscope/models/organism/organism-superposition.onnx
 * </pre>
 *
 * Options: {@code --seed N} (weights, data order; default 7), {@code --width W} (channels W, 2W, 3W, 4W, 4W;
 * default 16), {@code --channels a,b,c,d,e} (the five convolutions' channels, instead of the width's),
 * {@code --steps S} (default 1800), {@code --batch B} (default 64), {@code --lr X} (default 0.002),
 * {@code --threads T} (PyTorch intra-op threads, default 1: the weights are reproducible for a fixed count),
 * {@code --eval N} (held-out scenes, default 1000), {@code --out PATH} (default organism.onnx).
 */
public final class TrainOrganism {

    private TrainOrganism() {
    }

    public static void main(String[] args) throws IOException {
        OrganismTrainer.Config d = OrganismTrainer.Config.defaults(7);
        long seed = d.seed();
        int width = d.width();
        int steps = d.steps();
        int batch = d.batch();
        double lr = d.learningRate();
        int threads = d.threads();
        int eval = d.evalScenes();
        java.util.List<Integer> channels = java.util.List.of();
        Path out = Path.of("organism.onnx");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: TrainOrganism [--seed N] [--width W] [--steps S] [--batch B] [--lr X]"
                        + " [--channels a,b,c,d,e] [--threads T] [--eval N] [--out PATH]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--seed" -> seed = Long.parseLong(v);
                case "--width" -> width = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--lr" -> lr = Double.parseDouble(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--eval" -> eval = Integer.parseInt(v);
                case "--out" -> out = Path.of(v);
                case "--channels" -> channels = channelList(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        OrganismTrainer.Config cfg = new OrganismTrainer.Config(seed, width, steps, batch, lr, threads,
                d.evalEvery(), eval, channels);
        System.out.println("training the organism: " + cfg);
        OrganismTrainer.Result r = OrganismTrainer.train(cfg, System.out::println);
        String source = String.format(java.util.Locale.ROOT,
                "TrainOrganism --seed %d --width %d%s --steps %d --batch %d --lr %s --threads %d: DJL %s PyTorch "
                        + "engine, Adam, world scenes 0..%d of seed %d; held-out accuracy %.4f on %d scenes of seed %d",
                seed, width, channels.isEmpty() ? "" : " --channels " + channels.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")), steps, batch, lr, threads, ai.djl.engine.Engine.getDjlVersion(),
                (long) steps * batch - 1, seed, r.heldOutAccuracy(), r.heldOutScenes(),
                OrganismTrainer.heldOutSeed(seed));
        byte[] onnx = r.net().toOnnx(World.CLASSES, source);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(out, onnx);
        System.out.printf("wrote %s (%d bytes, %d parameters) in %.1fs%n", out, onnx.length,
                r.net().parameterCount(), r.millis() / 1000.0);
    }

    private static java.util.List<Integer> channelList(String v) {
        String[] parts = v.split(",");
        if (parts.length != OrganismNet.CONVS.size()) {
            throw new IllegalArgumentException("--channels takes " + OrganismNet.CONVS.size()
                    + " comma-separated counts (conv1..conv5), not '" + v + "'");
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (String p : parts) {
            int c;
            try {
                c = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--channels: '" + p.trim() + "' is not a whole number (in '" + v
                        + "')");
            }
            if (c < 1) {
                throw new IllegalArgumentException("--channels: every count must be >= 1, not " + c);
            }
            out.add(c);
        }
        return out;
    }
}
