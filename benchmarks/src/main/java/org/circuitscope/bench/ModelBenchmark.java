package org.circuitscope.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;

/**
 * Forward and forward+backward (gradient of the summed logits with respect to the input) of SqueezeNet at 224×224,
 * batch 1 and 16, in circuitscope and in Python PyTorch (benchmarks/model/squeezenet_torch.py, which builds the
 * same network from the same ONNX file), measured one after the other in the same run. Prints the ratio
 * circuitscope / PyTorch per case: below 1.0 means circuitscope is faster.
 *
 * <p>Usage: ModelBenchmark <squeezenet.onnx> <python> <reference script> [runs]
 */
public final class ModelBenchmark {
    private static final int SIZE = 224;

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        String python = args[1];
        String script = args[2];
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Map<String, Double> ours = new LinkedHashMap<>();
        try (Model model = Models.loadFile(onnx, null)) {
            String out = model.classOutput();
            for (int batch : new int[] {1, 16}) {
                int n = batch == 1 ? runs * 3 : runs;
                ours.put("forward b" + batch, Timing.medianMillis(3, n, () -> forward(model, out, batch, false)));
                ours.put("forward+backward b" + batch, Timing.medianMillis(3, n, () -> forward(model, out, batch,
                        true)));
            }
        }
        Map<String, Double> torch = runReference(python, script, onnx, runs);
        System.out.printf("%nSqueezeNet 1.0, %dx%d, %d threads available%n", SIZE, SIZE,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%-22s %14s %14s %8s%n", "case", "circuitscope", "pytorch", "ratio");
        for (Map.Entry<String, Double> e : ours.entrySet()) {
            Double ref = torch.get(e.getKey());
            System.out.printf("%-22s %11.1f ms %11.1f ms %8.2f%n", e.getKey(), e.getValue(), ref == null ? Double.NaN
                    : ref, ref == null ? Double.NaN : e.getValue() / ref);
        }
    }

    private static void forward(Model model, String out, int batch, boolean backward) {
        try (NDManager m = model.newManager()) {
            NDArray x = m.randomUniform(0f, 1f, new Shape(batch, 3, SIZE, SIZE));
            if (!backward) {
                model.forward(x, List.of(out)).get(out).toFloatArray();
                return;
            }
            x.setRequiresGradient(true);
            try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                NDArray logits = model.forward(x, List.of(out)).get(out);
                gc.backward(logits.sum());
                x.getGradient().toFloatArray();
            }
        }
    }

    /** Runs the PyTorch reference and reads its "case<TAB>milliseconds" lines. */
    private static Map<String, Double> runReference(String python, String script, Path onnx, int runs)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, script, onnx.toString(), String.valueOf(runs)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, Double> r = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] parts = line.split("\t");
                if (parts.length == 2 && parts[1].matches("[0-9.]+")) {
                    r.put(parts[0], Double.parseDouble(parts[1]));
                } else {
                    System.out.println("[pytorch] " + line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch reference failed (exit " + p.exitValue() + ")");
        }
        return r;
    }
}
