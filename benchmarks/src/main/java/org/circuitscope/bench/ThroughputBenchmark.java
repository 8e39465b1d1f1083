package org.circuitscope.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.circuitscope.model.ort.Forward;
import org.circuitscope.onnx.proto.Onnx;
import org.circuitscope.spark.ModelBytes;
import org.circuitscope.spark.Results;
import org.circuitscope.spark.SparkImage;
import org.circuitscope.spark.SparkImages;
import org.circuitscope.spark.SparkJobs;
import org.circuitscope.tensor.Tensor;

/**
 * Dataset activations of SqueezeNet at batch 16, in images per second, five ways in one run: the single-JVM path
 * ({@link Activations} in this thread) forced onto DJL/libtorch ({@link Forward#DJL}) and as it runs by default
 * (forward passes without gradients on the ONNX Runtime executor, {@link org.circuitscope.model.ort.OrtExecutor}),
 * ONNX Runtime's Java API on the same file and the same preprocessed batches (the peer a user would pick for
 * inference), and Spark local[1] and local[2] ({@link SparkJobs}, the model broadcast and loaded once per executor,
 * on the default path). Every path decodes the same JPEGs with the same decoder, resizes them the same way and
 * records the file's first output (1000 values per image); every other path's outputs are checked against the DJL
 * ones. Each path runs once untimed (warm-up: libraries, model load, sessions, JIT), then {@code runs} timed passes
 * (the three in-process paths in turns, a pass of each per round; Spark allows one context per JVM, so its two
 * follow); prints the median and the range, the ratios single-JVM (default) / ONNX Runtime (also pass by pass) and local[2] / local[1], with the
 * machine's load average before and after (/proc/loadavg) — figures from a machine with load above 0.5 are not
 * comparable with a quiet one.
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
        float[][] reference;
        double defaultRate;
        double ortRate;
        double[] pairedOrt;
        double[] sparkRate = new double[3];
        try (Model model = Models.loadFile(onnx, null)) {
            // the file's own output (SqueezeNet's softmax), which ONNX Runtime returns too
            String out = model.outputs().get(0);
            ImageSource source = folder.limit(n);
            Activations job = Activations.of(model).layers(out).reduce(Reduce.MAX).batchSize(BATCH)
                    .forward(Forward.DJL);
            ActivationResult first = job.run(source);
            int channels = (int) model.layers().get(out).channels();
            reference = new float[n][channels];
            for (int c = 0; c < channels; c++) {
                float[] col = first.column(out + ":" + c);
                for (int i = 0; i < n; i++) {
                    reference[i][c] = col[i];
                }
            }
            // the default path: Forward.AUTO, which must pick the ONNX Runtime executor for this file
            Activations auto = Activations.of(model).layers(out).reduce(Reduce.MAX).batchSize(BATCH);
            Forward.Choice choice = model.forwardChoice(List.of(out), Forward.AUTO);
            if (choice.engine() != Forward.ORT) {
                throw new IllegalStateException("the default path does not run on ONNX Runtime: " + choice);
            }
            long ortRuns = model.onnxRuntime().runs();
            compare("single JVM (default: " + choice + ")", reference, rows(auto.run(source), out, n, channels));
            if (model.onnxRuntime().runs() == ortRuns) {
                throw new IllegalStateException("the default path ran no batch on ONNX Runtime");
            }

            InputSpec spec = model.input();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(batchFree(Files.readAllBytes(onnx)), options)) {
                String input = session.getInputNames().iterator().next();
                float[][] ort = ortRows(env, session, input, spec, source, n);
                compare("ONNX Runtime", reference, ort);
                // the three in-process paths take turns, one timed pass each per round, so that a machine whose
                // speed drifts during the run (a shared host) weighs on all three alike
                double[][] t = interleaved(runs, () -> check(job.run(source), out, n),
                        () -> check(auto.run(source), out, n), () -> ortRows(env, session, input, spec, source, n));
                rows.add(row("single JVM, DJL/libtorch (forced)", n, t[0]));
                String[] defaultRow = row("single JVM, default (ONNX Runtime executor)", n, t[1]);
                rows.add(defaultRow);
                defaultRate = Double.parseDouble(defaultRow[1]);
                String[] peer = row("ONNX Runtime " + OrtEnvironment.class.getPackage().getImplementationVersion()
                        + " (Java, default threads)", n, t[2]);
                rows.add(peer);
                ortRate = Double.parseDouble(peer[1]);
                pairedOrt = paired(t[2], t[1]);
            }

            for (int threads : new int[] {1, 2}) {
                try (SparkJobs jobs = SparkJobs.local(threads).partitions(threads).batchSize(BATCH)) {
                    ModelBytes bytes = ModelBytes.onnx(onnx);
                    List<SparkImage> images = SparkImages.encoded(folder, n);
                    Results.Activations once = jobs.activations(bytes, images, List.of(out), Reduce.MAX);
                    compare("Spark local[" + threads + "]", reference, once.rows());
                    double[] t = time(runs, () -> {
                        Results.Activations a = jobs.activations(bytes, images, List.of(out), Reduce.MAX);
                        if (a.images() != n) {
                            throw new IllegalStateException("Spark read " + a.images() + " of " + n);
                        }
                    });
                    String[] r = row("Spark local[" + threads + "] (" + threads + " partition"
                            + (threads > 1 ? "s" : "") + ", default path)", n, t);
                    rows.add(r);
                    sparkRate[threads] = Double.parseDouble(r[1]);
                }
            }

        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-48s %12s %22s%n", "path", "images/s", "range (images/s)");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-48s %12s %22s%n", r[0], r[1], r[2]);
        }
        System.out.printf(Locale.ROOT, "ratio single JVM (default) / ONNX Runtime: %.2f (goal >= 1.0); the same"
                + " pass by pass, median %.2f, range %.2f .. %.2f%n", defaultRate / ortRate, pairedOrt[1],
                pairedOrt[0], pairedOrt[2]);
        System.out.printf(Locale.ROOT, "ratio Spark local[2] / local[1]: %.2f (goal >= 1.7)%n",
                sparkRate[2] / sparkRate[1]);
        System.out.println("load after: " + load());
    }

    /** The reduced output of every image, as rows. */
    static float[][] rows(ActivationResult r, String out, int n, int channels) {
        check(r, out, n);
        float[][] rows = new float[n][channels];
        for (int c = 0; c < channels; c++) {
            float[] col = r.column(out + ":" + c);
            for (int i = 0; i < n; i++) {
                rows[i][c] = col[i];
            }
        }
        return rows;
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

    /** Each round times one pass of every path in turn: seconds[path][round]. */
    static double[][] interleaved(int runs, Run... paths) throws Exception {
        double[][] seconds = new double[paths.length][runs];
        for (int i = 0; i < runs; i++) {
            for (int p = 0; p < paths.length; p++) {
                long t0 = System.nanoTime();
                paths[p].run();
                seconds[p][i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return seconds;
    }

    /** Throughput ratios of two paths timed in the same rounds (peer's time over ours): min, median, max. */
    static double[] paired(double[] peerSeconds, double[] ourSeconds) {
        double[] r = new double[ourSeconds.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = peerSeconds[i] / ourSeconds[i];
        }
        java.util.Arrays.sort(r);
        return new double[] {r[0], r[r.length / 2], r[r.length - 1]};
    }

    static String[] row(String name, int n, double[] seconds) {
        double[] rate = new double[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            rate[i] = n / seconds[i];
        }
        double[] sorted = rate.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: median %.1f images/s (load %s)%n", name, sorted[sorted.length / 2], load());
        return new String[] {name, String.format(Locale.ROOT, "%.1f", sorted[sorted.length / 2]),
                String.format(Locale.ROOT, "%.1f .. %.1f", sorted[0], sorted[sorted.length - 1])};
    }

    static void check(ActivationResult r, String out, int n) {
        if (r.images() != n) {
            throw new IllegalStateException("read " + r.images() + " of " + n + " images: " + r.problems());
        }
    }

    static void compare(String what, float[][] want, float[][] got) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            for (int c = 0; c < want[i].length; c++) {
                worst = Math.max(worst, Math.abs(want[i][c] - got[i][c]));
            }
        }
        System.out.printf(Locale.ROOT, "%s: largest difference from the DJL activations %.2g over %d images "
                + "× %d channels%n", what, worst, want.length, want[0].length);
        if (want.length != got.length || worst > 1e-4) {
            throw new IllegalStateException(what + " disagrees with the DJL path");
        }
    }

    /** The output of each image, through ONNX Runtime, in batches. */
    static float[][] ortRows(OrtEnvironment env, OrtSession session, String input, InputSpec spec,
                             ImageSource source, int n) throws Exception {
        float[][] out = new float[n][];
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
                    out[done++] = row;
                }
            }
        }
        if (done != n) {
            throw new IOException("ONNX Runtime read " + done + " of " + n + " images");
        }
        return out;
    }

    /**
     * The model with its graph inputs' and outputs' first dimension made symbolic ("N"): SqueezeNet's file fixes the
     * batch at 1, which ONNX Runtime enforces (circuitscope reads the batch from the array it is given). A Reshape to a
     * constant shape starting with 1 (the exporter's traced batch) gets -1 there, as circuitscope's importer reads
     * it (BatchGeneralisation), or ONNX Runtime would fold the whole batch into one row before the softmax.
     */
    static byte[] batchFree(byte[] onnx) throws IOException {
        Onnx.ModelProto.Builder m = Onnx.ModelProto.parseFrom(onnx).toBuilder();
        Onnx.GraphProto.Builder g = m.getGraphBuilder();
        // the intermediate shapes the file records hold the fixed batch too; ONNX Runtime infers them again
        g.clearValueInfo();
        java.util.Set<String> reshapeTargets = new java.util.HashSet<>();
        for (Onnx.NodeProto node : g.getNodeList()) {
            if (node.getOpType().equals("Reshape") && node.getInputCount() > 1) {
                reshapeTargets.add(node.getInput(1));
            }
        }
        for (Onnx.TensorProto.Builder t : g.getInitializerBuilderList()) {
            if (!reshapeTargets.contains(t.getName()) || t.getDataType() != Onnx.TensorProto.DataType.INT64_VALUE) {
                continue;
            }
            if (t.getInt64DataCount() > 0) {
                if (t.getInt64Data(0) == 1) {
                    t.setInt64Data(0, -1);
                }
            } else if (t.getRawData().size() >= 8) {
                ByteBuffer raw = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                if (raw.getLong(0) == 1) {
                    raw.putLong(0, -1);
                    t.setRawData(com.google.protobuf.ByteString.copyFrom(raw.array()));
                }
            }
        }
        for (Onnx.ValueInfoProto.Builder v : g.getInputBuilderList()) {
            free(v);
        }
        for (Onnx.ValueInfoProto.Builder v : g.getOutputBuilderList()) {
            free(v);
        }
        return m.build().toByteArray();
    }

    private static void free(Onnx.ValueInfoProto.Builder v) {
        Onnx.TensorShapeProto.Builder shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        if (shape.getDimCount() > 0) {
            shape.setDim(0, Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        }
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
    public static float[] modelSpace(InputSpec spec, Tensor t) {
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
