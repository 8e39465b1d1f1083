package org.circuitscope.fuzz;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;

/**
 * Loads malformed model files the way a user does ({@link Models#loadFile}) and sorts what happens: the file
 * loads, or it is refused with a {@link ModelException} whose message says what is wrong; anything else (another
 * exception, an error such as OutOfMemoryError, a load that outlasts the time bound) is a failure. While it runs,
 * Java Flight Recorder records every file read, so that a read outside the model's folder (of a canary file beside
 * it, {@code /etc/passwd}, {@code /dev/zero}) is caught too.
 *
 * <p>The files: a corpus built from each format's seeds (empty, random bytes, truncations at many offsets, a
 * wrong magic, the other formats' files under this format's name) and its crafted cases, then seeded random
 * mutations of the seeds (bit flips, interesting bytes and integers, deleted, repeated and inserted runs,
 * truncation) for a bounded time.
 */
final class LoaderFuzzer {
    private static final byte[] INTERESTING_BYTES = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, 8, 16, 32, 64};
    private static final int[] INTERESTING_INTS = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, -108,
            65536, 0xfffffff};

    /** What one file did. */
    record Outcome(String format, String kind, String name, String result, String message, long millis) {
        boolean failed() {
            return result.equals("FAILED");
        }
    }

    private final Path work;
    private final Path canary;
    private final Duration perFile;
    private final long seed;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<String> forbiddenReads = new ArrayList<>();
    private ExecutorService worker = newWorker();
    private int cases;
    private boolean controlReadSeen;

    LoaderFuzzer(Path work, Duration perFile, long seed) throws IOException {
        this.work = work;
        this.perFile = perFile;
        this.seed = seed;
        this.canary = Files.createDirectories(work.resolve("outside")).resolve("secret.bin");
        Files.write(canary, new byte[4096]);
    }

    /** The file beside (outside) every case's model folder that nothing may read. */
    Path canary() {
        return canary;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-load");
            t.setDaemon(true);
            return t;
        });
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    List<String> forbiddenReads() {
        return forbiddenReads;
    }

    boolean controlReadSeen() {
        return controlReadSeen;
    }

    /** Runs the corpus of every format, then mutations until {@code budget} is spent. */
    void run(List<FuzzFormat> formats, Duration budget) throws Exception {
        try (Recording reads = new Recording()) {
            reads.enable("jdk.FileRead").withThreshold(Duration.ZERO);
            reads.start();
            controlRead();
            for (FuzzFormat f : formats) {
                for (FuzzFormat.Crafted c : corpus(f, formats)) {
                    load(f, "corpus", c);
                }
            }
            Random random = new Random(seed);
            long end = System.nanoTime() + budget.toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                FuzzFormat f = formats.get(i % formats.size());
                FuzzFormat.Seed s = f.seeds().get(random.nextInt(f.seeds().size()));
                byte[] mutated = mutate(s.bytes(), random);
                load(f, "mutation", bytes(s.name() + "#" + i, f, mutated));
            }
            reads.stop();
            Path dump = work.resolve("reads.jfr");
            reads.dump(dump);
            checkReads(dump);
        } finally {
            worker.shutdownNow();
        }
    }

    /** A read of the canary by a known thread: the recording must see it, or the read check proves nothing. */
    private void controlRead() throws Exception {
        Thread t = new Thread(() -> {
            try (RandomAccessFile f = new RandomAccessFile(canary.toFile(), "r")) {
                f.readFully(new byte[16]);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "fuzz-control");
        t.start();
        t.join();
    }

    private void checkReads(Path dump) throws IOException {
        for (RecordedEvent e : RecordingFile.readAllEvents(dump)) {
            String path = e.getString("path");
            if (path == null) {
                continue;
            }
            // (the JVM itself reads /dev/urandom for SecureRandom; model files may name no device)
            boolean forbidden = path.startsWith(canary.getParent().toString()) || path.equals("/etc/passwd")
                    || path.startsWith("/dev/") && !path.equals("/dev/urandom") && !path.equals("/dev/random");
            if (!forbidden) {
                continue;
            }
            String thread = e.getThread() == null ? "" : e.getThread().getJavaName();
            if ("fuzz-control".equals(thread)) {
                controlReadSeen = true;
            } else {
                forbiddenReads.add(path + " (thread " + thread + ")");
            }
        }
    }

    private static FuzzFormat.Crafted bytes(String name, FuzzFormat f, byte[] b) {
        return new FuzzFormat.Crafted(name, dir -> Files.write(dir.resolve("model" + f.extension()), b));
    }

    /** The generic corpus from the format's seeds, then its crafted cases. */
    private List<FuzzFormat.Crafted> corpus(FuzzFormat f, List<FuzzFormat> all) {
        List<FuzzFormat.Crafted> c = new ArrayList<>();
        Random random = new Random(seed ^ f.name().hashCode());
        c.add(bytes("empty", f, new byte[0]));
        for (int n : new int[] {1, 16, 1000, 100_000}) {
            byte[] r = new byte[n];
            random.nextBytes(r);
            c.add(bytes("random " + n + " bytes", f, r));
        }
        for (FuzzFormat.Seed s : f.seeds()) {
            byte[] b = s.bytes();
            for (int cut : new int[] {1, 2, 3, 4, 8, 16, 64}) {
                if (cut < b.length) {
                    c.add(bytes(s.name() + " truncated to " + cut, f, java.util.Arrays.copyOf(b, cut)));
                }
            }
            for (int k = 1; k < 24; k++) {
                int cut = (int) ((long) b.length * k / 24);
                c.add(bytes(s.name() + " truncated to " + cut, f, java.util.Arrays.copyOf(b, cut)));
            }
            byte[] magic = b.clone();
            for (int i = 0; i < Math.min(8, magic.length); i++) {
                magic[i] ^= (byte) 0xff;
            }
            c.add(bytes(s.name() + " with a wrong magic", f, magic));
        }
        for (FuzzFormat other : all) {
            if (other != f) {
                c.add(bytes(other.seeds().get(0).name() + " named " + f.extension(), f, other.seeds().get(0).bytes()));
            }
        }
        c.addAll(f.crafted());
        return c;
    }

    private void load(FuzzFormat f, String kind, FuzzFormat.Crafted c) throws IOException {
        Path dir = Files.createDirectories(work.resolve("case" + (cases++)).resolve("model"));
        long t0 = System.nanoTime();
        String result;
        String message;
        try {
            Path file = c.writer().write(dir);
            Future<String> run = worker.submit(() -> {
                try (Model m = Models.loadFile(file, f.spec())) {
                    return "loaded";
                }
            });
            try {
                result = run.get(perFile.toMillis(), TimeUnit.MILLISECONDS);
                message = "";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                message = cause.getClass().getName() + ": " + cause.getMessage();
                result = cause instanceof ModelException && namesTheProblem(cause.getMessage()) ? "refused" : "FAILED";
                if (cause instanceof ModelException) {
                    message = cause.getMessage();
                }
            } catch (TimeoutException e) {
                result = "FAILED";
                message = "still loading after " + perFile.toSeconds() + " s";
                worker.shutdownNow();
                worker = newWorker();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        outcomes.add(new Outcome(f.name(), kind, c.name(), result, message, millis));
        if (result.equals("FAILED")) {
            Path keep = Files.createDirectories(work.getParent().resolve("fuzz-failures"));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(p, keep.resolve((cases - 1) + "-" + p.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        deleteTree(dir.getParent());
    }

    /** A message a person can act on: words, not a bare number or a class name. */
    static boolean namesTheProblem(String m) {
        return m != null && m.strip().length() >= 16 && m.chars().filter(Character::isLetter).count() >= 10
                && m.contains(" ");
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
                case 2 -> {
                    int v = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
                    for (int i = 0; i < 4 && at + i < b.length; i++) {
                        b[at + i] = (byte) (v >>> (8 * i));
                    }
                }
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 5 -> {
                    byte[] ins = new byte[1 + r.nextInt(16)];
                    r.nextBytes(ins);
                    byte[] out = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(ins, 0, out, at, ins.length);
                    System.arraycopy(b, at, out, at + ins.length, b.length - at);
                    b = out;
                }
                default -> b = java.util.Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    /** Counts by format, kind and result, e.g. {@code ONNX corpus: 61 files, 3 loaded, 58 refused, 0 failed}. */
    Map<String, int[]> counts() {
        Map<String, int[]> c = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            int[] n = c.computeIfAbsent(o.format() + " " + o.kind(), k -> new int[4]);
            n[0]++;
            n[o.result().equals("loaded") ? 1 : o.result().equals("refused") ? 2 : 3]++;
        }
        return c;
    }
}
