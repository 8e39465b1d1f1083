package org.circuitscope.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.spark.ModelBytes;
import org.circuitscope.spark.Results;
import org.circuitscope.spark.SparkImage;
import org.circuitscope.spark.SparkImages;
import org.circuitscope.spark.SparkJobs;
import org.circuitscope.tensor.Tensor;

/**
 * Dataset activations of SqueezeNet at batch 16, in images per second, four ways in one run: the single-JVM path
 * ({@link Activations} in this thread), Spark local[1] and local[2] ({@link SparkJobs}, the model broadcast and
 * loaded once per executor), and ONNX Runtime's Java API on the same file and the same preprocessed batches. Every
 * path decodes the same JPEGs with the same decoder, resizes them the same way and reduces the class output to its
 * per-image maximum; the ONNX Runtime and Spark outputs are checked against the single-JVM ones. Each path runs
 * once untimed (warm-up: libraries, model load, JIT), then {@code runs} timed passes; prints the median and the
 * range, with the machine's load average before and after (/proc/loadavg) — figures from a machine with load above
 * 0.5 are not comparable with a quiet one.
 *
 * <p>Usage: ThroughputBenchmark <squeezenet.onnx> <image folder> [images=96] [runs=3]
 */
public final class ThroughputBenchmark {
    static final int BATCH = 16;

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        ImageFolder folder = ImageFolder.of(Path.of(args[1]));
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 96;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        System.out.println("load before: " + load() + " (" + Runtime.getRuntime().availableProcessors()
                + " cores); " + n + " images, batch " + BATCH + ", " + runs + " timed runs per path");
        List<String[]> rows = new ArrayList<>();
        float[] reference;
        try (Model model = Models.loadFile(onnx, null)) {
            String out = model.classOutput();
            ImageSource source = folder.limit(n);
            Activations job = Activations.of(model).layers(out).reduce(Reduce.MAX).batchSize(BATCH);
            reference = job.run(source).column(out + ":0");
            double[] single = time(runs, () -> check(job.run(source), out, n));
            rows.add(row("single JVM (circuitscope, DJL PyTorch)", n, single));

            for (int threads : new int[] {1, 2}) {
                try (SparkJobs jobs = SparkJobs.local(threads).partitions(threads).batchSize(BATCH)) {
                    ModelBytes bytes = ModelBytes.onnx(onnx);
                    List<SparkImage> images = SparkImages.encoded(folder, n);
                    Results.Activations first = jobs.activations(bytes, images, List.of(out), Reduce.MAX);
                    compare("Spark local[" + threads + "]", reference, first.column(out + ":0"));
                    double[] t = time(runs, () -> {
                        Results.Activations a = jobs.activations(bytes, images, List.of(out), Reduce.MAX);
                        if (a.images() != n) {
                            throw new IllegalStateException("Spark read " + a.images() + " of " + n);
                        }
                    });
                    rows.add(row("Spark local[" + threads + "] (" + threads + " partition" + (threads > 1 ? "s" : "")
                            + ")", n, t));
                }
            }

            InputSpec spec = model.input();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(Files.readAllBytes(onnx), options)) {
                String input = session.getInputNames().iterator().next();
                float[] ort = ortMaxima(env, session, input, spec, source, n);
                compare("ONNX Runtime", reference, ort);
                double[] t = time(runs, () -> ortMaxima(env, session, input, spec, source, n));
                rows.add(row("ONNX Runtime " + OrtEnvironment.class.getPackage().getImplementationVersion()
                        + " (Java, default threads)", n, t));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-48s %12s %22s%n", "path", "images/s", "range (images/s)");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-48s %12s %22s%n", r[0], r[1], r[2]);
        }
        System.out.println("load after: " + load());
    }

    interface Run {
        void run() throws Exception;
    }

    static double[] time(int runs, Run r) throws Exception {
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        return seconds;
    }

    static String[] row(String name, int n, double[] seconds) {
        double[] rate = new double[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            rate[i] = n / seconds[i];
        }
        double[] sorted = rate.clone();
        java.util.Arrays.sort(sorted);
        return new String[] {name, String.format(Locale.ROOT, "%.1f", sorted[sorted.length / 2]),
                String.format(Locale.ROOT, "%.1f .. %.1f", sorted[0], sorted[sorted.length - 1])};
    }

    static void check(ActivationResult r, String out, int n) {
        if (r.images() != n) {
            throw new IllegalStateException("read " + r.images() + " of " + n + " images: " + r.problems());
        }
    }

    static void compare(String what, float[] want, float[] got) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        System.out.printf(Locale.ROOT, "%s: largest difference from the single-JVM maxima %.2g over %d images%n",
                what, worst, want.length);
        if (want.length != got.length || worst > 1e-4) {
            throw new IllegalStateException(what + " disagrees with the single-JVM path");
        }
    }

    /** The class output's per-image maximum of each image, through ONNX Runtime, in batches. */
    static float[] ortMaxima(OrtEnvironment env, OrtSession session, String input, InputSpec spec,
                             ImageSource source, int n) throws Exception {
        float[] out = new float[n];
        int done = 0;
        Iterator<Sample> it = source.iterator();
        while (true) {
            List<Sample> batch = ImageSource.nextBatch(it, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            List<BufferedImage> images = new ArrayList<>();
            batch.forEach(s -> images.add(s.image()));
            Tensor t = spec.images(images);
            float[] x = modelSpace(spec, t);
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), t.shape());
                 OrtSession.Result r = session.run(Map.of(input, in))) {
                float[][] logits = flat((OnnxTensor) r.get(0), batch.size());
                for (float[] row : logits) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (float v : row) {
                        m = Math.max(m, v);
                    }
                    out[done++] = m;
                }
            }
        }
        if (done != n) {
            throw new IOException("ONNX Runtime read " + done + " of " + n + " images");
        }
        return out;
    }

    static float[][] flat(OnnxTensor t, int n) {
        FloatBuffer b = t.getFloatBuffer();
        int per = b.remaining() / n;
        float[][] out = new float[n][per];
        for (int i = 0; i < n; i++) {
            b.get(out[i]);
        }
        return out;
    }

    /** As {@link InputSpec#toModelSpace}, on the heap: range, channel order, mean and std. */
    static float[] modelSpace(InputSpec spec, Tensor t) {
        float[] d = t.data().clone();
        int c = spec.channels();
        int plane = (int) (t.dim(2) * t.dim(3));
        int n = (int) t.dim(0);
        float[] tmp = new float[d.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int src = spec.bgr() ? c - 1 - ch : ch;
                for (int p = 0; p < plane; p++) {
                    float v = d[(i * c + src) * plane + p] * (spec.high() - spec.low()) + spec.low();
                    tmp[(i * c + ch) * plane + p] = (v - spec.mean()[ch]) / spec.std()[ch];
                }
            }
        }
        return tmp;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
