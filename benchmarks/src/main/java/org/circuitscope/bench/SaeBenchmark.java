package org.circuitscope.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.circuitscope.dictionary.SparseAutoencoder;
import org.circuitscope.progress.Progress;

/**
 * Sparse-autoencoder training throughput (vectors per second) of circuitscope's {@link SparseAutoencoder} (DJL
 * autograd on libtorch, parameters and Adam on the Java heap) against the same loop in Python PyTorch
 * (benchmarks/dictionary/sae_torch.py), measured one after the other in the same run, both on one libtorch
 * thread by default. Synthetic data: sparse non-negative mixtures of 2·C random unit atoms.
 *
 * <p>Usage: SaeBenchmark <python> <script> [channels latents k batch steps threads]
 */
public final class SaeBenchmark {
    public static void main(String[] args) throws Exception {
        String python = args[0];
        String script = args[1];
        int c = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int m = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        int k = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 1024;
        int steps = args.length > 6 ? Integer.parseInt(args[6]) : 200;
        int threads = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        int n = 20000;
        Random r = new Random(1);
        float[][] atoms = new float[2 * c][c];
        for (float[] a : atoms) {
            double norm = 0;
            for (int j = 0; j < c; j++) {
                a[j] = (float) r.nextGaussian();
                norm += a[j] * a[j];
            }
            for (int j = 0; j < c; j++) {
                a[j] /= (float) Math.sqrt(norm);
            }
        }
        float[] data = new float[n * c];
        for (int s = 0; s < n; s++) {
            for (float[] a : atoms) {
                if (r.nextDouble() < 4.0 / (2 * c)) {
                    float amount = (float) (0.5 + r.nextDouble());
                    for (int j = 0; j < c; j++) {
                        data[s * c + j] += amount * a[j];
                    }
                }
            }
        }
        // warm-up, then the timed run
        SparseAutoencoder.topK(m, k).batch(batch).steps(20).threads(threads).train(data, n, c, Progress.NONE);
        SparseAutoencoder.Trained t = SparseAutoencoder.topK(m, k).batch(batch).steps(steps).threads(threads)
                .resampleEvery(0).train(data, n, c, Progress.NONE);
        double java = t.vectorsPerSecond();
        Process p = new ProcessBuilder(python, script, String.valueOf(c), String.valueOf(m), String.valueOf(k),
                String.valueOf(batch), String.valueOf(steps), String.valueOf(threads)).redirectErrorStream(true)
                .start();
        double torch = Double.NaN;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("vectors/s ")) {
                    torch = Double.parseDouble(line.substring(10).trim());
                } else {
                    System.err.println("python: " + line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch reference failed (exit " + p.exitValue() + ")");
        }
        System.out.printf("SAE training, C=%d, %d latents, top-%d, batch %d, %d steps, %d thread(s):%n", c, m, k,
                batch, steps, threads);
        System.out.printf("  circuitscope (DJL %s)  %10.0f vectors/s%n", "0.36", java);
        System.out.printf("  Python PyTorch         %10.0f vectors/s%n", torch);
        System.out.printf("  ratio circuitscope / PyTorch %.2f (above 1: circuitscope is faster)%n", java / torch);
    }
}
