import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;

/**
 * Times one feature-visualisation step (Fourier parameterisation, standard transforms, SqueezeNet up to the
 * objective's layer, backward, Adam) in circuitscope and in Python PyTorch (featurevis_torch.py), in the same run,
 * at each size; then the wall time of a layer sheet. Not a test: run it with run.sh.
 *
 * <p>usage: java FeatureVisBenchmark.java model.onnx python script.py [steps] [sheetSteps] [sheetChannels]
 */
public class FeatureVisBenchmark {
    static final String LAYER = System.getenv().getOrDefault("LAYER", "fire9/concat");
    static final int CHANNEL = Integer.parseInt(System.getenv().getOrDefault("CHANNEL", "3"));
    static final int[] SIZES = {224, 128};
    static final int WARMUP = 5;

    static double[] stats(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        java.util.Collections.sort(s);
        double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        return new double[] {s.get(0), median};
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        String python = args[1];
        String script = args[2];
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int sheetSteps = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        int sheetChannels = args.length > 5 ? Integer.parseInt(args[5]) : 64;
        String sheetLayer = System.getenv().getOrDefault("SHEET_LAYER", "fire4/concat");
        int sheetBatch = Integer.parseInt(System.getenv().getOrDefault("SHEET_BATCH", "64"));

        System.out.printf("feature visualisation step: %s:%d, Fourier (decorrelated), standard transforms, Adam; "
                + "%d timed steps after %d warm-up, %s rounds alternating with PyTorch%n", LAYER, CHANNEL, steps,
                WARMUP, System.getenv().getOrDefault("ROUNDS", "3"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "3"));
        Map<Integer, List<Double>> ours = new LinkedHashMap<>();
        String policy = System.getenv("OMP_WAIT_POLICY");
        System.out.println("circuitscope: OpenMP wait policy " + (policy == null
                ? "libgomp's own (spin a while, then sleep), as the kernel runs" : policy));
        try (Model model = Models.loadFile(onnx, null)) {
            // the same loop in PyTorch, in processes that answer one request at a time, so that the sides are
            // measured alternately and a change in the machine's load hits all alike; the peer runs under both
            // OpenMP wait policies, and is compared at whichever is faster for it
            List<Peer> peers = List.of(new Peer("PASSIVE", python, script, onnx), new Peer(null, python, script, onnx));
            Map<Integer, FeatureVis> vis = new LinkedHashMap<>();
            for (int size : SIZES) {
                FeatureVis v = FeatureVis.of(model).objective(Objectives.channel(LAYER, CHANNEL)).size(size)
                        .seed(0).reluRedirectSteps(0);
                v.steps(WARMUP).render();
                vis.put(size, v);
            }
            for (int round = 0; round < rounds; round++) {
                for (int size : SIZES) {
                    FeatureVisResult r = vis.get(size).steps(steps).render();
                    ours.computeIfAbsent(size, k -> new ArrayList<>()).add(r.seconds() * 1000 / steps);
                    for (Peer peer : peers) {
                        peer.step(size, steps, round == 0 ? WARMUP : 1);
                    }
                }
            }
            for (Peer peer : peers) {
                peer.close();
            }
            System.out.printf("%-8s %17s %17s %17s %12s%n", "size", "circuitscope", "PyTorch PASSIVE",
                    "PyTorch default", "ratio");
            System.out.printf("%-8s %17s %17s %17s %12s%n", "", "min / median ms", "min / median ms",
                    "min / median ms", "min, median");
            for (int size : SIZES) {
                double[] j = stats(ours.get(size));
                double[] a = stats(peers.get(0).times.get(size));
                double[] b = stats(peers.get(1).times.get(size));
                // the peer at its better policy for this size (the lower median)
                double[] t = a[1] <= b[1] ? a : b;
                System.out.printf("%-8s %7.1f / %7.1f %7.1f / %7.1f %7.1f / %7.1f %6.2f, %5.2f (against %s)%n",
                        size + "x" + size, j[0], j[1], a[0], a[1], b[0], b[1], j[0] / t[0], j[1] / t[1],
                        t == a ? "PASSIVE" : "default");
            }
            if (sheetSteps > 0 && sheetChannels > 0) {
                int[] channels = new int[sheetChannels];
                for (int i = 0; i < sheetChannels; i++) {
                    channels[i] = i;
                }
                long t0 = System.nanoTime();
                List<FeatureVisResult> parts = new ArrayList<>();
                for (int start = 0; start < sheetChannels; start += sheetBatch) {
                    int[] chunk = java.util.Arrays.copyOfRange(channels, start,
                            Math.min(sheetChannels, start + sheetBatch));
                    parts.add(FeatureVis.sheet(model, sheetLayer, chunk).size(128).steps(sheetSteps).seed(0)
                            .render());
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("layer sheet %s channels 0-%d, 128x128, %d steps, batches of %d: %.1f s wall "
                        + "(%.1f ms per image-step)%n", sheetLayer, sheetChannels - 1, sheetSteps, sheetBatch, s,
                        s * 1000 / sheetSteps / sheetChannels);
            }
        }
    }

    /** The Python loop in a process of its own, under one OpenMP wait policy (null: libgomp's own). */
    static final class Peer {
        final Map<Integer, List<Double>> times = new LinkedHashMap<>();
        private final Process process;
        private final BufferedReader in;
        private final java.io.PrintWriter out;

        Peer(String policy, String python, String script, Path onnx) throws Exception {
            ProcessBuilder b = new ProcessBuilder(python, script, onnx.toString(), LAYER, String.valueOf(CHANNEL))
                    .redirectErrorStream(true);
            if (policy == null) {
                b.environment().remove("OMP_WAIT_POLICY");
            } else {
                b.environment().put("OMP_WAIT_POLICY", policy);
            }
            process = b.start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream()));
            out = new java.io.PrintWriter(process.getOutputStream(), true);
            String line;
            while ((line = in.readLine()) != null && !line.equals("ready")) {
                System.out.println(line + " (OpenMP wait policy " + (policy == null ? "libgomp's own" : policy)
                        + ")");
            }
        }

        void step(int size, int steps, int warmup) throws Exception {
            out.println(size + " " + steps + " " + warmup);
            String line = in.readLine();
            if (line == null || !line.startsWith("fft")) {
                throw new IllegalStateException("the PyTorch reference failed: " + line);
            }
            times.computeIfAbsent(size, k -> new ArrayList<>()).add(Double.parseDouble(line.split("\t")[1]));
        }

        void close() throws Exception {
            out.close();
            process.waitFor();
        }
    }
}
