package org.circuitscope.activations;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.circuitscope.data.GeneratedSource;
import org.circuitscope.data.Sample;
import org.circuitscope.model.Model;
import org.circuitscope.progress.Progress;

/**
 * Run by {@link MemoryBoundTest} in a JVM of its own with {@code -Xmx512m}: activations of 10,000 generated
 * 56×56 images at a 64×56×56 layer, reduced by max. Prints its measurements and exits 0 when memory stayed bounded:
 * the run finished under the heap limit, the model's manager holds as many native arrays after the last batch as
 * after the second, and the process's resident memory grew by less than 64 MB from the end of the first quarter
 * of the batches to the end.
 */
public final class MemoryBoundMain {
    static final int IMAGES = 10_000;

    public static void main(String[] args) throws IOException {
        List<String> failures = new ArrayList<>();
        try (Model model = SmallModels.wide56()) {
            NDManager root = model.newManager().getParentManager();
            GeneratedSource source = GeneratedSource.of("noise", IMAGES, i -> {
                Random r = new Random(i);
                BufferedImage img = SmallModels.randomImage(r, 56);
                return new Sample("noise#" + i, "c" + (i % 10), img);
            });
            long[] rssAtQuarter = {-1};
            long[] arraysAtTwo = {-1};
            long[] arraysAtEnd = {-1};
            long[] peakRss = {0};
            int batch = 50;
            int batches = IMAGES / batch;
            Progress p = new Progress() {
                int updates;

                @Override
                public void update(long done, long total, String status) {
                    updates++;
                    long rss = rssKb();
                    peakRss[0] = Math.max(peakRss[0], rss);
                    if (updates == 2) {
                        arraysAtTwo[0] = root.getManagedArrays().size();
                    }
                    if (updates == batches / 4) {
                        rssAtQuarter[0] = rss;
                    }
                    arraysAtEnd[0] = root.getManagedArrays().size();
                }

                @Override
                public boolean cancelled() {
                    return false;
                }
            };
            long t0 = System.nanoTime();
            ActivationResult res = Activations.of(model).layers("relu").reduce(Reduce.MAX).batchSize(batch)
                    .run(source, p);
            long rssEnd = rssKb();
            int rows = res.table().rowCount();
            int wideCols = res.wide().columnCount();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("images %d, rows %d, wide columns %d, %.1f s, max heap %d MB, RSS at 1/4 %d MB, "
                            + "at end %d MB, peak %d MB, native arrays after batch 2: %d, at end: %d%n",
                    res.images(), rows, wideCols, s, Runtime.getRuntime().maxMemory() >> 20, rssAtQuarter[0] >> 10,
                    rssEnd >> 10, peakRss[0] >> 10, arraysAtTwo[0], arraysAtEnd[0]);
            if (res.images() != IMAGES || res.partial()) {
                failures.add("recorded " + res.images() + " images, partial " + res.partial());
            }
            if (rows != IMAGES * 64) {
                failures.add("long table has " + rows + " rows, not " + IMAGES * 64);
            }
            if (wideCols != 2 + 64) {
                failures.add("wide table has " + wideCols + " columns");
            }
            if (arraysAtEnd[0] != arraysAtTwo[0]) {
                failures.add("native arrays grew from " + arraysAtTwo[0] + " to " + arraysAtEnd[0]);
            }
            if (rssAtQuarter[0] > 0 && rssEnd - rssAtQuarter[0] > 64 * 1024) {
                failures.add("resident memory grew by " + ((rssEnd - rssAtQuarter[0]) >> 10) + " MB over the last "
                        + "three quarters of the batches");
            }
        }
        if (!failures.isEmpty()) {
            System.out.println("FAILED: " + String.join("; ", failures));
            System.exit(1);
        }
        System.out.println("OK");
    }

    /** The process's resident set size in kB (0 where /proc is absent). */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
