package org.circuitscope.zoo;

import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;
import org.circuitscope.onnx.TestGraphs;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zoo downloads against a local HTTP server: checksum, cache, unpacking, progress, and the failure messages. */
class ModelZooTest {
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    @TempDir
    Path cache;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static byte[] tinyModel() {
        return new TestGraphs(4).input("x", 1, 3, 6, 6).weight("w", 2, 3, 3, 3)
                .node("Conv", list("x", "w"), list("logits"), ints("pads", 1, 1, 1, 1)).output("logits").bytes();
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static ZooEntry entry(String name, URI url, String sha, String file, String inner, String innerSha,
                                  String labels) {
        return new ZooEntry(name, "test model", url, sha, -1, file, inner, innerSha, labels, InputSpec.rgb01(6),
                "test");
    }

    private static final class CountingProgress implements Progress {
        long last;
        int updates;
        boolean finished;

        @Override
        public void update(long done, long total, String status) {
            last = done;
            updates++;
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void finish(String status) {
            finished = true;
        }
    }

    @Test
    void downloadsChecksCachesAndLoads() throws Exception {
        byte[] model = tinyModel();
        files.put("/models/tiny.onnx", model);
        ModelZoo zoo = new ModelZoo(cache, List.of(entry("tiny", url("/models/tiny.onnx"), sha(model), "tiny.onnx",
                null, null, null)));
        CountingProgress progress = new CountingProgress();
        try (Model m = Models.load("tiny", null, progress, zoo)) {
            assertEquals(2, m.run(TestGraphs.random(1, 1, 3, 6, 6), "logits").get("logits").dim(1));
        }
        assertEquals(1, requests.get());
        assertEquals(model.length, progress.last);
        assertTrue(progress.finished);
        assertTrue(zoo.isCached(zoo.find("tiny").orElseThrow()));
        try (Model again = Models.load("tiny", null, progress, zoo)) {
            assertEquals("tiny", again.name());
        }
        assertEquals(1, requests.get(), "a cached model is not downloaded again");
    }

    @Test
    void unpacksArchivesWithLabels() throws Exception {
        byte[] model = tinyModel();
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("LICENSE"));
            zip.write("licence text".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("net.onnx"));
            zip.write(model);
            zip.putNextEntry(new ZipEntry("labels.txt"));
            zip.write("edge\ncurve\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] archive = zipBytes.toByteArray();
        files.put("/net.zip", archive);
        ModelZoo zoo = new ModelZoo(cache, List.of(entry("net", url("/net.zip"), sha(archive), "net.zip", "net.onnx",
                sha(model), "labels.txt")));
        try (Model m = Models.load("net", null, Progress.NONE, zoo)) {
            assertEquals(List.of("edge", "curve"), m.labels());
        }
    }

    @Test
    void checksumMismatchKeepsNothingAndSaysWhereToPutTheFile() throws Exception {
        files.put("/bad.onnx", tinyModel());
        ZooEntry e = entry("bad", url("/bad.onnx"), "00".repeat(32), "bad.onnx", null, null, null);
        ModelZoo zoo = new ModelZoo(cache, List.of(e));
        ModelException ex = assertThrows(ModelException.class, () -> Models.load("bad", null, Progress.NONE, zoo));
        assertTrue(ex.getMessage().contains("SHA-256") && ex.getMessage().contains("not kept"), ex.getMessage());
        assertTrue(ex.getMessage().contains(zoo.modelPath(e).toString()), ex.getMessage());
        assertFalse(zoo.isCached(e));
        try (var listing = Files.walk(cache)) {
            assertTrue(listing.noneMatch(p -> p.toString().endsWith(".part")), "no partial file left");
        }
    }

    @Test
    void offlineAndMissingFilesExplainTheManualRoute() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ZooEntry offline = entry("offline", URI.create("http://127.0.0.1:" + closedPort + "/m.onnx"), "ab".repeat(32),
                "m.onnx", null, null, null);
        ZooEntry missing = entry("missing", url("/nothing-here.onnx"), "ab".repeat(32), "m.onnx", null, null, null);
        ModelZoo zoo = new ModelZoo(cache, List.of(offline, missing));
        ModelException o = assertThrows(ModelException.class, () -> Models.load("offline", null, Progress.NONE, zoo));
        assertTrue(o.getMessage().contains("could not download") && o.getMessage().contains("put it at"),
                o.getMessage());
        ModelException m = assertThrows(ModelException.class, () -> Models.load("missing", null, Progress.NONE, zoo));
        assertTrue(m.getMessage().contains("HTTP 404"), m.getMessage());
        ModelException unknown = assertThrows(ModelException.class, () -> Models.load("alexnetz", null, Progress.NONE,
                zoo));
        assertTrue(unknown.getMessage().contains("offline, missing"), unknown.getMessage());
    }

    @Test
    void standardZooPinsThePublishedFiles() {
        ModelZoo zoo = ModelZoo.standard();
        ZooEntry inception = zoo.find("inceptionv1").orElseThrow();
        assertEquals("https", inception.url().getScheme());
        assertEquals("a39b08b826c9d5a5532ff424c03a3a11a202967544e389aca4b06c2bd8aef63f", inception.innerSha256());
        ZooEntry googlenet = zoo.find("googlenet").orElseThrow();
        assertEquals(28020232L, googlenet.size());
        assertTrue(googlenet.input().bgr());
    }
}
