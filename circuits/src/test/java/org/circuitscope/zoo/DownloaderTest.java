package org.circuitscope.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads against a local server that misbehaves on purpose: a wrong checksum, a truncated body, a 404, a stall
 * mid-body, no headers at all, a redirect loop. Each ends within its stated timeout with a message that says which,
 * and leaves nothing in the cache; cancelling or interrupting ends a stalled download at once.
 */
class DownloaderTest {
    /** The stall timeout the tests run with; every failing call must end within it plus this margin. */
    private static final Duration STALL = Duration.ofSeconds(1);
    private static final long MARGIN_MILLIS = 1500;
    private static final byte[] BODY = bytes(100_000);

    private ServerSocket server;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> hits = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    @TempDir
    Path cache;

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeEach
    void serve() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (running) {
                try {
                    Socket s = server.accept();
                    clients.add(s);
                    Thread t = new Thread(() -> handle(s), "test-http");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-http-accept");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterEach
    void stop() throws IOException {
        running = false;
        server.close();
        for (Socket s : clients) {
            s.close();
        }
    }

    private void handle(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String request = in.readLine();
            for (String h; (h = in.readLine()) != null && !h.isEmpty(); ) {
                // headers are not needed
            }
            if (request == null) {
                return;
            }
            String path = request.split(" ")[1];
            hits.merge(path, 1, Integer::sum);
            OutputStream out = s.getOutputStream();
            switch (path) {
                case "/model.bin" -> {
                    head(out, 200, BODY.length, null);
                    out.write(BODY);
                }
                case "/truncated.bin" -> {
                    head(out, 200, BODY.length, null);
                    out.write(BODY, 0, 500);
                }
                case "/stall.bin" -> {
                    head(out, 200, BODY.length, null);
                    out.write(BODY, 0, 1000);
                    out.flush();
                    idle();
                }
                case "/silent.bin" -> idle();
                case "/loop.bin" -> head(out, 302, 0, "/loop.bin");
                default -> head(out, 404, 0, null);
            }
            out.flush();
        } catch (IOException ignored) {
            // the client went away, as stalled-download tests make it do
        }
    }

    /** Sends nothing until the test ends (at most 20 s: the tests never wait that long). */
    private void idle() {
        long end = System.nanoTime() + 20_000_000_000L;
        while (running && System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void head(OutputStream out, int code, long length, String location) throws IOException {
        String reason = code == 200 ? "OK" : code == 302 ? "Found" : "Not Found";
        String h = "HTTP/1.1 " + code + " " + reason + "\r\nContent-Length: " + length + "\r\n"
                + (location != null ? "Location: " + location + "\r\n" : "") + "Connection: close\r\n\r\n";
        out.write(h.getBytes(StandardCharsets.ISO_8859_1));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    private final Downloader downloader = new Downloader(Duration.ofSeconds(2), STALL);

    private Path target() {
        return cache.resolve("zoo").resolve("model.bin");
    }

    /** Runs a download that must fail, and returns its message after checking time and cache. */
    private String failing(String path, String sha, Progress progress) {
        long t0 = System.nanoTime();
        ModelException e = assertThrows(ModelException.class,
                () -> downloader.fetch(url(path), sha, -1, target(), progress));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < STALL.toMillis() + MARGIN_MILLIS, path + " took " + millis + " ms: " + e.getMessage());
        assertCacheEmpty();
        assertTrue(e.getMessage().contains("nothing was kept") || e.getMessage().contains("not kept"),
                e.getMessage());
        return e.getMessage();
    }

    private void assertCacheEmpty() {
        try (Stream<Path> files = Files.walk(cache)) {
            List<Path> left = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), left, "files left in the cache");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void goodDownloadIsKept() throws Exception {
        Path p = downloader.fetch(url("/model.bin"), sha(BODY), BODY.length, target(), Progress.NONE);
        assertEquals(BODY.length, Files.size(p));
        try (Stream<Path> files = Files.walk(cache)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "only the file itself, no .part");
        }
    }

    @Test
    void wrongChecksum() {
        String m = failing("/model.bin", "00".repeat(32), Progress.NONE);
        assertTrue(m.contains("SHA-256") && m.contains("not the expected"), m);
    }

    @Test
    void truncatedBody() throws Exception {
        String m = failing("/truncated.bin", sha(BODY), Progress.NONE);
        assertTrue(m.contains("truncated") && m.contains("500 of 100000 bytes"), m);
    }

    @Test
    void notFound() {
        String m = failing("/absent.bin", "00".repeat(32), Progress.NONE);
        assertTrue(m.contains("HTTP 404"), m);
    }

    @Test
    void stallMidBody() throws Exception {
        String m = failing("/stall.bin", sha(BODY), Progress.NONE);
        assertTrue(m.contains("sent nothing for 1 s") && m.contains("after 1000 of 100000 bytes"), m);
    }

    @Test
    void serverThatNeverSendsHeaders() throws Exception {
        String m = failing("/silent.bin", sha(BODY), Progress.NONE);
        assertTrue(m.contains("sent nothing for 1 s") && m.contains("after 0 bytes"), m);
    }

    @Test
    void redirectLoop() throws Exception {
        String m = failing("/loop.bin", sha(BODY), Progress.NONE);
        assertTrue(m.contains("redirect loop"), m);
        assertTrue(hits.get("/loop.bin") > 5, "the loop was followed a few times, then given up: " + hits);
    }

    @Test
    void sizeOtherThanThePinnedOneIsRefusedBeforeTheBody() throws Exception {
        ModelException e = assertThrows(ModelException.class,
                () -> downloader.fetch(url("/model.bin"), sha(BODY), 5000, target(), Progress.NONE));
        assertTrue(e.getMessage().contains("offers 100000 bytes, but the file is 5000 bytes"), e.getMessage());
        assertCacheEmpty();
    }

    /** A progress whose cancelled() turns true when the test says so, as the kernel's does on interrupt. */
    private static final class Cancellable implements Progress {
        final AtomicBoolean cancel = new AtomicBoolean();

        @Override
        public void update(long done, long total, String status) {
        }

        @Override
        public boolean cancelled() {
            return cancel.get();
        }
    }

    @Test
    void cancellingAStalledDownloadEndsItAtOnce() throws Exception {
        Downloader patient = new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(60));
        Cancellable progress = new Cancellable();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String sha = sha(BODY);
        Thread t = new Thread(() -> {
            try {
                patient.fetch(url("/stall.bin"), sha, -1, target(), progress);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        Thread.sleep(500);
        long t0 = System.nanoTime();
        progress.cancel.set(true);
        t.join(5000);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(!t.isAlive() && millis < 1000, "cancel took " + millis + " ms");
        assertTrue(failure.get() instanceof ModelException, String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("interrupted after 1000 of 100000 bytes"),
                failure.get().getMessage());
        assertCacheEmpty();
    }

    @Test
    void interruptingTheThreadEndsAStalledDownload() throws Exception {
        Downloader patient = new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(60));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String sha = sha(BODY);
        Thread t = new Thread(() -> {
            try {
                patient.fetch(url("/silent.bin"), sha, -1, target(), Progress.NONE);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        Thread.sleep(500);
        long t0 = System.nanoTime();
        t.interrupt();
        t.join(5000);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(!t.isAlive() && millis < 1000, "interrupt took " + millis + " ms");
        assertTrue(failure.get() instanceof ModelException && failure.get().getMessage().contains("interrupted"),
                String.valueOf(failure.get()));
        assertCacheEmpty();
    }

    @Test
    void mirrorServesTheZoo(@TempDir Path mirrorDir) throws Exception {
        ZooEntry entry = new ZooEntry("m", "test", URI.create("https://publisher.invalid/model.bin"), sha(BODY),
                BODY.length, "model.bin", null, null, null, InputSpec.rgb01(8), "test");
        // over http: the file is fetched from <mirror>/<file name>, not from the publisher
        ModelZoo http = new ModelZoo(cache.resolve("a"), List.of(entry), ModelZoo.mirror(url("/").toString()),
                downloader);
        assertEquals(url("/model.bin"), http.source(entry));
        assertEquals(BODY.length, Files.size(http.fetch(entry, Progress.NONE)));
        // from a folder
        Files.write(mirrorDir.resolve("model.bin"), BODY);
        ModelZoo folder = new ModelZoo(cache.resolve("b"), List.of(entry), ModelZoo.mirror(mirrorDir.toString()),
                downloader);
        assertEquals(BODY.length, Files.size(folder.fetch(entry, Progress.NONE)));
        // a mirror with a wrong copy is refused by the pinned checksum
        Files.write(mirrorDir.resolve("model.bin"), bytes(10));
        ModelZoo bad = new ModelZoo(cache.resolve("c"), List.of(entry), ModelZoo.mirror(mirrorDir.toString()),
                downloader);
        ModelException e = assertThrows(ModelException.class, () -> bad.fetch(entry, Progress.NONE));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        ModelException notAMirror = assertThrows(ModelException.class, () -> ModelZoo.mirror("/no/such/folder"));
        assertTrue(notAMirror.getMessage().contains("/no/such/folder"), notAMirror.getMessage());
    }
}
