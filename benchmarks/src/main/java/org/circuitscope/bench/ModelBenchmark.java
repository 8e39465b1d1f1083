package org.circuitscope.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;

/**
 * Forward and forward+backward (gradient of the summed logits with respect to the input) of SqueezeNet at 224×224,
 * batch 1 and 16, in circuitscope and in Python PyTorch (benchmarks/model/squeezenet_torch.py, which builds the
 * same network from the same ONNX file), measured call by call in turn in the same run. Prints the ratio of
 * medians circuitscope / PyTorch per case (below 1.0 means circuitscope is faster) and the spread of the per-pair
 * ratios.
 *
 * <p>Usage: ModelBenchmark <squeezenet.onnx> <python> <reference script> [runs]
 */
public final class ModelBenchmark {
    private static final int SIZE = 224;
    private static final int WARMUP = 3;

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        String python = args[1];
        String script = args[2];
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<String[]> rows = new ArrayList<>();
        try (Model model = Models.loadFile(onnx, null); Reference torch = new Reference(python, script, onnx)) {
            String out = model.classOutput();
            for (int batch : new int[] {1, 16}) {
                for (boolean backward : new boolean[] {false, true}) {
                    String name = backward ? "forward+backward" : "forward";
                    int n = batch == 1 ? runs * 3 : runs;
                    double[] ours = new double[n];
                    double[] theirs = new double[n];
                    for (int i = 0; i < WARMUP; i++) {
                        forward(model, out, batch, backward);
                        torch.time(name, batch);
                    }
                    // call by call, taking turns at going first, so that a change in the machine's load (it is a
                    // shared two-core VM) hits both sides alike
                    for (int i = 0; i < n; i++) {
                        if (i % 2 == 0) {
                            ours[i] = millis(() -> forward(model, out, batch, backward));
                            theirs[i] = torch.time(name, batch);
                        } else {
                            theirs[i] = torch.time(name, batch);
                            ours[i] = millis(() -> forward(model, out, batch, backward));
                        }
                    }
                    double[] pairRatios = new double[n];
                    for (int i = 0; i < n; i++) {
                        pairRatios[i] = ours[i] / theirs[i];
                    }
                    rows.add(new String[] {name + " b" + batch, fmt(median(ours)), fmt(median(theirs)),
                            String.format("%.2f", median(ours) / median(theirs)), String.format("%.2f",
                            percentile(pairRatios, 25)), String.format("%.2f", percentile(pairRatios, 75))});
                }
            }
        }
        System.out.printf("%nSqueezeNet 1.0, %dx%d, %d threads available; medians of %d (batch 1: %d) runs taken "
                + "call by call in turn%n", SIZE, SIZE, Runtime.getRuntime().availableProcessors(), runs, runs * 3);
        System.out.printf("%-22s %14s %14s %8s %18s%n", "case", "circuitscope", "pytorch", "ratio",
                "pair ratio p25-p75");
        for (String[] r : rows) {
            System.out.printf("%-22s %14s %14s %8s %9s-%s%n", (Object[]) r);
        }
    }

    private static String fmt(double ms) {
        return String.format("%.1f ms", ms);
    }

    private static double millis(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] v) {
        return percentile(v, 50);
    }

    /** Linear interpolation between the closest ranks. */
    private static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        double rank = p / 100 * (s.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (rank - lo) * (s[hi] - s[lo]);
    }

    /** Like the reference, reduces the result to one number (as .sum().item() does) so that all of it is computed. */
    private static void forward(Model model, String out, int batch, boolean backward) {
        try (NDManager m = model.newManager()) {
            NDArray x = m.randomUniform(0f, 1f, new Shape(batch, 3, SIZE, SIZE));
            if (!backward) {
                model.forward(x, List.of(out)).get(out).sum().getFloat();
                return;
            }
            x.setRequiresGradient(true);
            try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                NDArray logits = model.forward(x, List.of(out)).get(out);
                gc.backward(logits.sum());
                x.getGradient().sum().getFloat();
            }
        }
    }

    /** The PyTorch reference as a child process that runs one case per request and answers with its time. */
    private static final class Reference implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final PrintWriter out;

        Reference(String python, String script, Path onnx) throws IOException {
            process = new ProcessBuilder(python, script, onnx.toString()).redirectErrorStream(true).start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("ready")) {
                    return;
                }
                System.out.println("[pytorch] " + line);
            }
            throw new IllegalStateException("the PyTorch reference ended before it was ready (exit "
                    + waitForExit() + ")");
        }

        double time(String name, int batch) {
            out.println(name + " " + batch);
            try {
                String line = in.readLine();
                if (line == null || !line.matches("[0-9.]+")) {
                    throw new IllegalStateException("the PyTorch reference failed on " + name + " b" + batch + ": "
                            + line);
                }
                return Double.parseDouble(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private int waitForExit() {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void close() {
            out.close();
            if (waitForExit() != 0) {
                System.out.println("[pytorch] exited with " + process.exitValue());
            }
        }
    }
}
