package org.circuitscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.tensor.Tensor;

/**
 * Long-session memory: {@code cycles} rounds of load → forward pass → close for each model given, printing the
 * process's resident set size (VmRSS) at the start, every 100 cycles and at the end, and the growth after warm-up.
 * A soak, not a test: flat RSS after the first hundred cycles is what a notebook session needs.
 *
 * <p>usage: SoakBenchmark CYCLES MODEL... (names such as organism, or model files)
 */
public final class SoakBenchmark {
    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        List<String> models = List.of(args).subList(1, args.length);
        System.out.printf("soak: %d cycles of load -> forward (batch 4) -> close of %s%n", cycles, models);
        long start = rss();
        long warm = -1;
        System.out.printf("cycle %5d  RSS %7.1f MB%n", 0, start / 1024.0);
        for (int c = 1; c <= cycles; c++) {
            for (String name : models) {
                try (Model m = Models.load(name)) {
                    Tensor x = Tensor.zeros(m.input().shape(4));
                    m.run(x, m.classOutput());
                }
            }
            if (c % 100 == 0 || c == cycles) {
                long now = rss();
                if (warm < 0) {
                    warm = now;
                }
                System.out.printf("cycle %5d  RSS %7.1f MB%n", c, now / 1024.0);
            }
        }
        long end = rss();
        System.out.printf("RSS start %.1f MB, after the first 100 cycles %.1f MB, end %.1f MB: growth after warm-up "
                + "%.1f MB over %d cycles%n", start / 1024.0, warm / 1024.0, end / 1024.0, (end - warm) / 1024.0,
                cycles - Math.min(cycles, 100));
    }

    /** The resident set size in kB, from /proc/self/status. */
    static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
