package org.circuitscope.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.census.Census;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;

/**
 * The jobs of a model's atlas on Apache Spark: on the dataset side reduced activations, exact top-k / bottom-k
 * examples per unit and activation histograms; on the model side layer sheets of feature visualisations (chunks of
 * units across executors) and the census over many models (one task per model and layer). The model travels once as a broadcast of its ONNX bytes; each executor loads it once and
 * runs the engine's own single-JVM job ({@link Activations}, {@link DatasetExamples}) on each partition, batched
 * as there; the driver merges the partitions' results exactly (the union of per-partition top-k lists holds the
 * global top-k; ties go to the earlier image, as on one machine). An image that cannot be read is reported in the
 * result's problems, never dropped silently; a task that fails is retried by Spark ({@code spark.task.maxFailures};
 * {@link #local(int, int)} sets it in local mode) and, if it keeps failing, the job fails with a
 * {@link SparkJobException} naming the partition and the images (or units, or models) it held: no partial result.
 *
 * <pre>{@code
 * try (SparkJobs jobs = SparkJobs.local(2)) {
 *     Results.Activations a = jobs.activations(ModelBytes.organism(), SparkImages.world(2024, 1000),
 *             List.of("conv3"), Reduce.MAX);
 * }
 * }</pre>
 *
 * {@link #local} runs Spark in this JVM (no server); {@link #of} takes any context, e.g. one built with a
 * {@code --master} URL of a standalone, YARN or Kubernetes cluster, with no change to the jobs.
 */
public final class SparkJobs implements AutoCloseable {
    private final JavaSparkContext sc;
    private final boolean owned;
    private int partitions;
    private int batchSize = 16;
    private PartitionHook hook = PartitionHook.NONE;

    static {
        // before any SparkConf: Spark settles its logging when its first class logs
        SparkLogging.quiet();
    }

    private SparkJobs(JavaSparkContext sc, boolean owned) {
        this.sc = sc;
        this.owned = owned;
        this.partitions = sc.defaultParallelism();
    }

    /** Spark's local mode in this JVM with {@code threads} task threads (local[threads]); closed by {@link #close}. */
    public static SparkJobs local(int threads) {
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("circuitscope")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new SparkJobs(new JavaSparkContext(conf), true);
    }

    /**
     * Spark's local mode with {@code threads} task threads and up to {@code maxFailures} attempts per task
     * ({@code local[threads,maxFailures]}; plain local mode tries a task once).
     */
    public static SparkJobs local(int threads, int maxFailures) {
        if (threads < 1 || maxFailures < 1) {
            throw new IllegalArgumentException("local mode needs at least 1 thread and 1 attempt, not " + threads
                    + " and " + maxFailures);
        }
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "," + maxFailures + "]")
                .setAppName("circuitscope")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new SparkJobs(new JavaSparkContext(conf), true);
    }

    /** A master URL ({@code local[4]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://...}). */
    public static SparkJobs master(String url) {
        SparkConf conf = new SparkConf().setMaster(url).setAppName("circuitscope").set("spark.ui.enabled", "false");
        return new SparkJobs(new JavaSparkContext(conf), true);
    }

    /** Jobs on a context the caller made and closes. */
    public static SparkJobs of(JavaSparkContext sc) {
        return new SparkJobs(sc, false);
    }

    /** How many partitions a dataset is cut into (default: Spark's default parallelism). */
    public SparkJobs partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + n);
        }
        this.partitions = n;
        return this;
    }

    /** Images per forward pass within a partition (default 16). */
    public SparkJobs batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be positive, not " + n);
        }
        this.batchSize = n;
        return this;
    }

    public JavaSparkContext context() {
        return sc;
    }

    /** Runs {@code h} at the start of every task (tests inject faults with it); {@link PartitionHook#NONE} for none. */
    SparkJobs hook(PartitionHook h) {
        this.hook = h == null ? PartitionHook.NONE : h;
        return this;
    }

    /** What one task of a job computes from its partition's elements. */
    @FunctionalInterface
    interface PartitionBody<E, T> extends Serializable {
        List<T> run(List<E> elements) throws Exception;
    }

    /** Names a partition's elements in an error ("images 53..105: ...", "units conv2:0–15"). */
    @FunctionalInterface
    interface Describe<E> extends Serializable {
        String of(List<E> elements);
    }

    /**
     * The task of every job: reads its partition, runs the hook, then the body; any exception becomes a
     * {@link PartitionFailure} naming the partition and what it held (Spark retries the task and, when its attempts
     * run out, fails the job with it).
     */
    static <E, T> Iterator<T> task(PartitionHook hook, int partitions, Iterator<E> it, Describe<E> describe,
                                   PartitionBody<E, T> body) {
        List<E> elements = new ArrayList<>();
        it.forEachRemaining(elements::add);
        TaskContext tc = TaskContext.get();
        int partition = tc == null ? -1 : tc.partitionId();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        try {
            hook.before(partition, attempt);
            return body.run(elements).iterator();
        } catch (Exception e) {
            throw new PartitionFailure(partition, partitions, attempt, describe.of(elements), e);
        }
    }

    private static final Pattern FAILED_TIMES = Pattern.compile("failed (\\d+) times");
    private static final Pattern FAILURE = Pattern.compile("PartitionFailure: ([^\\n]*)");

    /**
     * Runs a Spark action; a job that Spark aborted becomes a {@link SparkJobException} naming the job and the
     * partition that failed, with what it held and how many attempts it had.
     */
    private <T> T action(String job, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw failure(job, e);
        } catch (Exception e) {
            // Spark's SparkException is checked in Scala's eyes only; Java sees it here
            throw failure(job, e);
        }
    }

    static SparkJobException failure(String job, Throwable e) {
        if (e instanceof SparkJobException s) {
            return s;
        }
        String text = String.valueOf(e.getMessage());
        String what = null;
        for (Throwable t = e; t != null && what == null; t = t.getCause()) {
            if (t instanceof PartitionFailure pf) {
                what = pf.getMessage();
            }
        }
        if (what == null) {
            Matcher m = FAILURE.matcher(text);
            what = m.find() ? m.group(1) : text.lines().findFirst().orElse(text);
        }
        Matcher n = FAILED_TIMES.matcher(text);
        String times = n.find() ? "; the task failed " + n.group(1) + " times (spark.task.maxFailures), so the job "
                + "stopped with no partial result" : "";
        return new SparkJobException(job + " failed: " + what + times, e);
    }

    /** Runs Spark's {@code collect} as {@link #action}. */
    private <T> List<T> collect(String job, JavaRDD<T> rdd) {
        return action(job, rdd::collect);
    }

    /** One partition's reduced activations. */
    record PartActivations(List<Long> indexes, List<String> ids, List<String> labels, float[][] rows,
                           List<String> problems) implements Serializable {
    }

    /** Reduced activations ({@code reduce} must not be {@link Reduce#NONE}) of {@code layers} over the images. */
    public Results.Activations activations(ModelBytes model, List<SparkImage> images, List<String> layers,
                                           Reduce reduce) {
        if (reduce == Reduce.NONE) {
            throw new IllegalArgumentException("the distributed activations are reduced per channel: give MAX, MEAN "
                    + "or CENTER");
        }
        Broadcast<ModelBytes> b = sc.broadcast(model);
        try {
            List<String> columns = columns(b, layers);
            List<PartActivations> parts = collect("activations of " + String.join(", ", layers) + " over "
                    + images.size() + " images", activationsRdd(b, images, layers, reduce));
            return mergeActivations(parts, columns, images.size());
        } finally {
            release(b);
        }
    }

    private List<String> columns(Broadcast<ModelBytes> b, List<String> layers) {
        // the driver reads the layer shapes from its own copy (in local mode the executors' copy)
        Model m = ModelBytes.loaded(b.value());
        List<String> columns = new ArrayList<>();
        for (String l : layers) {
            Layer layer = m.layers().get(l);
            for (int c = 0; c < layer.channels(); c++) {
                columns.add(l + ":" + c);
            }
        }
        return columns;
    }

    private JavaRDD<PartActivations> activationsRdd(Broadcast<ModelBytes> b, List<SparkImage> images,
                                                    List<String> layers, Reduce reduce) {
        List<String> layerList = List.copyOf(layers);
        int batch = batchSize;
        PartitionHook h = hook;
        int n = partitions;
        return sc.parallelize(images, n).mapPartitions(it -> task(h, n, it, PartitionFailure::images, part -> {
            try (ModelBytes.Lease lease = ModelBytes.lease(b.value())) {
                Model m = lease.model();
                PartitionSource src = new PartitionSource(part.iterator());
                if (src.count() == 0) {
                    return List.<PartActivations>of();
                }
                ActivationResult r = Activations.of(m).layers(layerList).reduce(reduce).batchSize(batch).run(src);
                List<String> cols = new ArrayList<>();
                for (String l : layerList) {
                    for (int c = 0; c < m.layers().get(l).channels(); c++) {
                        cols.add(l + ":" + c);
                    }
                }
                float[][] rows = new float[r.images()][cols.size()];
                for (int j = 0; j < cols.size(); j++) {
                    float[] col = r.column(cols.get(j));
                    for (int i = 0; i < col.length; i++) {
                        rows[i][j] = col[i];
                    }
                }
                return List.of(new PartActivations(List.copyOf(src.readIndexes()), r.ids(), r.labels(), rows,
                        src.problems()));
            }
        }));
    }

    private static Results.Activations mergeActivations(List<PartActivations> parts, List<String> columns,
                                                        int total) {
        record Row(long index, String id, String label, float[] values) {
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PartActivations p : parts) {
            for (int i = 0; i < p.rows().length; i++) {
                rows.add(new Row(p.indexes().get(i), p.ids().get(i), p.labels().get(i), p.rows()[i]));
            }
            problems.addAll(p.problems());
        }
        rows.sort(Comparator.comparingLong(Row::index));
        if (rows.size() + problems.size() != total) {
            throw new IllegalStateException("the partitions returned " + rows.size() + " images and "
                    + problems.size() + " problems for " + total + " images");
        }
        List<String> ids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        float[][] values = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            ids.add(r.id());
            labels.add(r.label());
            indexes.add(r.index());
            values[i] = r.values();
        }
        return new Results.Activations(ids, labels, indexes, columns, values, problems, rows.size());
    }

    /** One partition's top-k of each unit. */
    record PartExamples(List<Results.Examples> perUnit, long seen, List<String> problems) implements Serializable {
    }

    /**
     * The exact top (or bottom, when {@code negative}) {@code k} examples of each unit ({@code layer:channel} or
     * {@code layer:channel@y,x}) over the images, as {@link DatasetExamples} finds them on one machine.
     */
    public List<Results.Examples> examples(ModelBytes model, List<SparkImage> images, List<String> units, int k,
                                           boolean negative) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, not " + k);
        }
        List<String> unitList = List.copyOf(units);
        units.forEach(Unit::parse);
        int batch = batchSize;
        Broadcast<ModelBytes> b = sc.broadcast(model);
        try {
            PartitionHook h = hook;
            int n = partitions;
            JavaRDD<PartExamples> rdd = sc.parallelize(images, n).mapPartitions(it -> task(h, n, it,
                    PartitionFailure::images, part -> {
                try (ModelBytes.Lease lease = ModelBytes.lease(b.value())) {
                    Model m = lease.model();
                    PartitionSource src = new PartitionSource(part.iterator());
                    if (src.count() == 0) {
                        return List.<PartExamples>of();
                    }
                    List<Unit> parsed = unitList.stream().map(Unit::parse).toList();
                    List<ExamplesResult> rs = DatasetExamples.of(m, parsed).k(k).negative(negative).batchSize(batch)
                            .runAll(src, Progress.NONE);
                    List<Results.Examples> out = new ArrayList<>();
                    for (ExamplesResult r : rs) {
                        List<Results.Example> ex = new ArrayList<>();
                        for (Example e : r.examples()) {
                            ex.add(new Results.Example(src.index(e.id()), e.id(), e.label(), e.value(), e.y(), e.x(),
                                    e.box()));
                        }
                        out.add(new Results.Examples(r.unit().toString(), r.unitRead().toString(), negative, ex,
                                r.imagesSeen(), List.of()));
                    }
                    return List.of(new PartExamples(out, src.readIndexes().size(), src.problems()));
                }
            }));
            List<PartExamples> parts = collect((negative ? "bottom-" : "top-") + k + " examples of "
                    + String.join(", ", unitList) + " over " + images.size() + " images", rdd);
            return mergeExamples(parts, unitList, k, negative, images.size());
        } finally {
            release(b);
        }
    }

    private static List<Results.Examples> mergeExamples(List<PartExamples> parts, List<String> units, int k,
                                                        boolean negative, int total) {
        long seen = 0;
        List<String> problems = new ArrayList<>();
        for (PartExamples p : parts) {
            seen += p.seen();
            problems.addAll(p.problems());
        }
        if (seen + problems.size() != total) {
            throw new IllegalStateException("the partitions read " + seen + " images and reported " + problems.size()
                    + " problems for " + total + " images");
        }
        float sign = negative ? -1f : 1f;
        // strongest first; among equal values the earlier image, as DatasetExamples orders them
        Comparator<Results.Example> order = Comparator.comparingDouble((Results.Example e) -> -sign * e.value())
                .thenComparingLong(Results.Example::index);
        List<Results.Examples> out = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            List<Results.Example> all = new ArrayList<>();
            String read = units.get(u);
            for (PartExamples p : parts) {
                all.addAll(p.perUnit().get(u).examples());
                read = p.perUnit().get(u).unitRead();
            }
            all.sort(order);
            out.add(new Results.Examples(Unit.parse(units.get(u)).toString(), read, negative,
                    List.copyOf(all.subList(0, Math.min(k, all.size()))), seen, problems));
        }
        return out;
    }

    /**
     * Histograms of the reduced activations of every channel of {@code layer}, {@code bins} equal bins between
     * each channel's minimum and maximum over the images: one model pass (kept in memory), then the range and the
     * counts are reduced over the partitions.
     */
    public List<Histogram> histograms(ModelBytes model, List<SparkImage> images, String layer, Reduce reduce,
                                      int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, not " + bins);
        }
        Broadcast<ModelBytes> b = sc.broadcast(model);
        JavaRDD<PartActivations> rdd = null;
        try {
            List<String> columns = columns(b, List.of(layer));
            int n = columns.size();
            rdd = activationsRdd(b, images, List.of(layer), reduce).persist(StorageLevel.MEMORY_ONLY());
            String job = "histograms of " + layer + " over " + images.size() + " images";
            JavaRDD<PartActivations> parts = rdd;
            long read = action(job, () -> parts.map(p -> (long) p.rows().length + p.problems().size())
                    .fold(0L, Long::sum));
            if (read != images.size()) {
                throw new IllegalStateException("the partitions returned " + read + " of " + images.size() + " images");
            }
            double[][] range = action(job, () -> parts.map(p -> {
                double[][] r = new double[2][n];
                java.util.Arrays.fill(r[0], Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(r[1], Double.NEGATIVE_INFINITY);
                for (float[] row : p.rows()) {
                    for (int j = 0; j < n; j++) {
                        r[0][j] = Math.min(r[0][j], row[j]);
                        r[1][j] = Math.max(r[1][j], row[j]);
                    }
                }
                return r;
            }).reduce((x, y) -> {
                for (int j = 0; j < n; j++) {
                    x[0][j] = Math.min(x[0][j], y[0][j]);
                    x[1][j] = Math.max(x[1][j], y[1][j]);
                }
                return x;
            }));
            long[][] counts = action(job, () -> parts.map(p -> {
                long[][] c = new long[n][bins];
                for (float[] row : p.rows()) {
                    for (int j = 0; j < n; j++) {
                        c[j][Histogram.bin(row[j], range[0][j], range[1][j], bins)]++;
                    }
                }
                return c;
            }).reduce((x, y) -> {
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < bins; i++) {
                        x[j][i] += y[j][i];
                    }
                }
                return x;
            }));
            List<Histogram> out = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                out.add(new Histogram(columns.get(j), range[0][j], range[1][j], counts[j]));
            }
            return out;
        } finally {
            if (rdd != null) {
                rdd.unpersist(false);
            }
            release(b);
        }
    }

    /**
     * DJL's PyTorch engine lets one gradient collector record at a time in a JVM (a second one throws "A
     * PtGradientCollector is already collecting"), so the tasks of one executor JVM optimise one after another;
     * units spread over executors (JVMs) run in parallel.
     */
    private static final Object ONE_OPTIMISATION_PER_JVM = new Object();

    /** One chunk of a layer sheet: its place among the chunks and its channels. */
    record Chunk(int index, int[] channels) implements Serializable {
    }

    /** One chunk's images (PNG) and last-step objectives. */
    record ChunkImages(int index, List<byte[]> png, float[] objective) implements Serializable {
    }

    /**
     * A layer sheet of feature visualisations with the units partitioned across executors: the channels are cut
     * into chunks of {@code batch} in order, as the single-JVM sheet ({@code %featurevis layer --channels ...})
     * cuts them, and each chunk is one task that runs {@code FeatureVis.sheet(model, layer, chunk)} with the same
     * steps, size and seed. Optimisation with the same seed on the same machine is deterministic, so each image
     * equals the single-JVM sheet's; the images come back as PNG (lossless).
     */
    public Results.Sheet featureVisSheet(ModelBytes model, String layer, int[] channels, int batch, int steps,
                                         int size, long seed) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("a sheet needs at least one channel");
        }
        if (batch < 1 || steps < 1 || size < FeatureVis.MIN_SIZE) {
            throw new IllegalArgumentException("a sheet needs batch ≥ 1, steps ≥ 1 and size ≥ " + FeatureVis.MIN_SIZE
                    + ", not " + batch + ", " + steps + ", " + size);
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0; start < channels.length; start += batch) {
            chunks.add(new Chunk(chunks.size(), java.util.Arrays.copyOfRange(channels, start,
                    Math.min(channels.length, start + batch))));
        }
        Broadcast<ModelBytes> b = sc.broadcast(model);
        try {
            // the driver checks the layer and channels before any task runs
            Model here = ModelBytes.loaded(b.value());
            String name = here.layers().get(layer).name();
            long have = here.layers().get(layer).channels();
            for (int c : channels) {
                if (c < 0 || c >= have) {
                    throw new IllegalArgumentException("layer '" + name + "' has " + have + " channels (0.."
                            + (have - 1) + "); there is no channel " + c);
                }
            }
            PartitionHook h = hook;
            int n = chunks.size();
            JavaRDD<ChunkImages> rdd = sc.parallelize(chunks, n).mapPartitions(it -> task(h, n, it,
                    cs -> "units " + cs.stream().map(c -> name + ":" + c.channels()[0] + "–" + c.channels()[
                            c.channels().length - 1]).reduce((x, y) -> x + ", " + y).orElse("none"), cs -> {
                try (ModelBytes.Lease lease = ModelBytes.lease(b.value())) {
                    Model m = lease.model();
                    List<ChunkImages> out = new ArrayList<>();
                    for (Chunk c : cs) {
                        FeatureVisResult r;
                        synchronized (ONE_OPTIMISATION_PER_JVM) {
                            r = FeatureVis.sheet(m, name, c.channels()).steps(steps).size(size).seed(seed).render();
                        }
                        List<byte[]> png = new ArrayList<>();
                        float[] last = new float[c.channels().length];
                        for (int i = 0; i < c.channels().length; i++) {
                            png.add(png(r.images().get(i)));
                            double[] t = r.trace(i);
                            last[i] = t.length == 0 ? Float.NaN : (float) t[t.length - 1];
                        }
                        out.add(new ChunkImages(c.index(), png, last));
                    }
                    return out;
                }
            }));
            List<ChunkImages> parts = new ArrayList<>(collect("feature-visualisation sheet of " + name + " ("
                    + channels.length + " units in " + n + " chunks)", rdd));
            if (parts.size() != n) {
                throw new SparkJobException("feature-visualisation sheet of " + name + ": " + parts.size() + " of "
                        + n + " chunks came back", null);
            }
            parts.sort(Comparator.comparingInt(ChunkImages::index));
            List<byte[]> png = new ArrayList<>();
            float[] objective = new float[channels.length];
            int at = 0;
            for (ChunkImages p : parts) {
                png.addAll(p.png());
                System.arraycopy(p.objective(), 0, objective, at, p.objective().length);
                at += p.objective().length;
            }
            return new Results.Sheet(model.name(), name, channels.clone(), png, objective, batch, steps, size, seed);
        } finally {
            release(b);
        }
    }

    static byte[] png(java.awt.image.BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One census task: a model (by its place in the list) and a layer. */
    record CensusTask(int model, String layer) implements Serializable {
    }

    /**
     * The census ({@link Census#of(Model, String)}: the stimulus battery, the default texture images and the family
     * rules) of every layer of every model, one task per model and layer; each model is broadcast once. The results
     * come back in order: the layers of the first model, then of the second, and so on.
     */
    public List<Results.Census> census(List<ModelBytes> models, List<String> layers) {
        if (models.isEmpty() || layers.isEmpty()) {
            throw new IllegalArgumentException("a census needs at least one model and one layer");
        }
        List<Broadcast<ModelBytes>> bs = new ArrayList<>();
        try {
            for (ModelBytes m : models) {
                bs.add(sc.broadcast(m));
            }
            List<CensusTask> tasks = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                Model here = ModelBytes.loaded(bs.get(i).value());
                for (String l : layers) {
                    tasks.add(new CensusTask(i, here.layers().get(l).name()));
                }
            }
            List<String> names = models.stream().map(ModelBytes::name).toList();
            List<Broadcast<ModelBytes>> shared = List.copyOf(bs);
            PartitionHook h = hook;
            int n = tasks.size();
            JavaRDD<Results.Census> rdd = sc.parallelize(tasks, n).mapPartitions(it -> task(h, n, it,
                    ts -> "census of " + ts.stream().map(t -> names.get(t.model()) + " " + t.layer())
                            .reduce((x, y) -> x + ", " + y).orElse("nothing"), ts -> {
                List<Results.Census> out = new ArrayList<>();
                for (CensusTask t : ts) {
                    Broadcast<ModelBytes> mb = shared.get(t.model());
                    try (ModelBytes.Lease lease = ModelBytes.lease(mb.value())) {
                        Model m = lease.model();
                        Census c = Census.of(m, t.layer());
                        out.add(new Results.Census(m.name(), t.layer(), c.verdicts().stream()
                                .map(Results.Verdict::of).toList(), c.toString()));
                    }
                }
                return out;
            }));
            List<Results.Census> out = collect("census of " + n + " layers of " + models.size() + " models", rdd);
            if (out.size() != n) {
                throw new SparkJobException("census: " + out.size() + " of " + n + " layers came back", null);
            }
            return out;
        } finally {
            bs.forEach(this::release);
        }
    }

    /** Drops the broadcast; the executors keep the model they loaded for the next job on it (see ModelBytes). */
    private void release(Broadcast<ModelBytes> b) {
        b.destroy();
    }

    /** Closes the context if this made it and, in local mode (the executors are this JVM), the models they kept. */
    @Override
    public void close() {
        if (sc.isLocal()) {
            ModelBytes.closeAll();
        }
        if (owned) {
            sc.close();
        }
    }
}
