package org.circuitscope.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;

/**
 * The dataset-side jobs on Apache Spark: reduced activations, exact top-k / bottom-k examples per unit, and
 * activation histograms. The model travels once as a broadcast of its ONNX bytes; each executor loads it once and
 * runs the engine's own single-JVM job ({@link Activations}, {@link DatasetExamples}) on each partition, batched
 * as there; the driver merges the partitions' results exactly (the union of per-partition top-k lists holds the
 * global top-k; ties go to the earlier image, as on one machine). An image that cannot be read is reported in the
 * result's problems, never dropped silently; a task that fails is retried by Spark and, if it keeps failing, fails
 * the job.
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
            List<PartActivations> parts = activationsRdd(b, images, layers, reduce).collect();
            return mergeActivations(parts, columns, images.size());
        } finally {
            release(b);
        }
    }

    private List<String> columns(Broadcast<ModelBytes> b, List<String> layers) {
        // the driver reads the layer shapes from its own copy (in local mode the executors' copy)
        Model m = ModelBytes.loaded(b.id(), b.value());
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
        return sc.parallelize(images, partitions).mapPartitions(it -> {
            Model m = ModelBytes.loaded(b.id(), b.value());
            PartitionSource src = new PartitionSource(it);
            if (src.count() == 0) {
                return List.<PartActivations>of().iterator();
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
                    src.problems())).iterator();
        });
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
            List<PartExamples> parts = sc.parallelize(images, partitions).mapPartitions(it -> {
                Model m = ModelBytes.loaded(b.id(), b.value());
                PartitionSource src = new PartitionSource(it);
                if (src.count() == 0) {
                    return List.<PartExamples>of().iterator();
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
                return List.of(new PartExamples(out, src.readIndexes().size(), src.problems())).iterator();
            }).collect();
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
            long read = rdd.map(p -> (long) p.rows().length + p.problems().size()).fold(0L, Long::sum);
            if (read != images.size()) {
                throw new IllegalStateException("the partitions returned " + read + " of " + images.size() + " images");
            }
            double[][] range = rdd.map(p -> {
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
            });
            long[][] counts = rdd.map(p -> {
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
            });
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

    /** Drops the broadcast and, in local mode (where the executor is this JVM), closes the model it loaded. */
    private void release(Broadcast<ModelBytes> b) {
        long id = b.id();
        b.destroy();
        if (sc.isLocal()) {
            ModelBytes.close(id);
        }
    }

    @Override
    public void close() {
        if (owned) {
            sc.close();
        }
    }
}
