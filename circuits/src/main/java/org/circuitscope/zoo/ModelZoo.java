package org.circuitscope.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;

/**
 * The models circuitscope loads by name. Each is downloaded once from its publisher over HTTPS, checked against a
 * pinned SHA-256, and cached under {@link Downloader#cacheDir()}.
 *
 * <p>A mirror ({@code circuitscope.zoo.mirror} system property or {@code CIRCUITSCOPE_ZOO_MIRROR}: an http(s) or
 * {@code file:} URL, or a folder) replaces the publishers: each file is fetched from {@code <mirror>/<file name>}
 * (e.g. {@code inception5h.zip}, {@code googlenet-7.onnx}), still checked against the pinned SHA-256.
 */
public final class ModelZoo {
    /** The system property naming a mirror. */
    public static final String MIRROR_PROPERTY = "circuitscope.zoo.mirror";

    private final Path cache;
    private final List<ZooEntry> entries;
    private final Downloader downloader;
    private final URI mirror;

    public ModelZoo(Path cache, List<ZooEntry> entries) {
        this(cache, entries, null, new Downloader());
    }

    /**
     * @param mirror     where to fetch files instead of their publishers' URLs (null: the publishers)
     * @param downloader the timeouts to download with
     */
    public ModelZoo(Path cache, List<ZooEntry> entries, URI mirror, Downloader downloader) {
        this.cache = cache;
        this.entries = List.copyOf(entries);
        this.mirror = mirror;
        this.downloader = downloader;
    }

    /** The published models, cached in the default place, fetched from the configured mirror if there is one. */
    public static ModelZoo standard() {
        return new ModelZoo(Downloader.cacheDir(), STANDARD, configuredMirror(), new Downloader());
    }

    /** The mirror the property or environment names, as a URI (a folder becomes a file: URI), or null. */
    public static URI configuredMirror() {
        String m = System.getProperty(MIRROR_PROPERTY);
        if (m == null || m.isBlank()) {
            m = System.getenv("CIRCUITSCOPE_ZOO_MIRROR");
        }
        if (m == null || m.isBlank()) {
            return null;
        }
        return mirror(m.trim());
    }

    /** A mirror written as a URL ({@code https://host/models/}, {@code file:/srv/models/}) or a folder. */
    public static URI mirror(String spec) {
        String s = spec.trim();
        if (s.matches("(?i)^(https?|file):.*")) {
            try {
                URI u = URI.create(s.endsWith("/") ? s : s + "/");
                if (u.getScheme().equalsIgnoreCase("file") || u.getHost() != null) {
                    return u;
                }
            } catch (IllegalArgumentException e) {
                // explained below
            }
            throw new ModelException("the zoo mirror '" + spec + "' is not a URL circuitscope can read");
        }
        Path p = Path.of(s);
        if (!Files.isDirectory(p)) {
            throw new ModelException("the zoo mirror '" + spec + "' is neither an http(s) or file: URL nor a folder");
        }
        return p.toAbsolutePath().toUri();
    }

    /** Where an entry's file is fetched from: the mirror's copy when a mirror is set, else the publisher's URL. */
    public URI source(ZooEntry e) {
        return mirror == null ? e.url() : mirror.resolve(e.fileName());
    }

    public Downloader downloader() {
        return downloader;
    }

    public List<ZooEntry> entries() {
        return entries;
    }

    public Optional<ZooEntry> find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.name().equals(n)).findFirst();
    }

    /** Where the entry's model file is (or will be) in the cache. */
    public Path modelPath(ZooEntry e) {
        return cache.resolve(e.name()).resolve(e.modelFileName());
    }

    public boolean isCached(ZooEntry e) {
        return Files.isRegularFile(modelPath(e));
    }

    /** The entry's model file, downloading (and unpacking) it first when needed. */
    public Path fetch(ZooEntry e, Progress progress) {
        Path model = modelPath(e);
        if (Files.isRegularFile(model)) {
            String expected = e.archived() ? e.innerSha256() : e.sha256();
            String have = Downloader.sha256(model);
            if (!have.equalsIgnoreCase(expected)) {
                throw new ModelException("the cached " + model + " has SHA-256 " + have + ", not " + expected
                        + ". Delete it to download it again.");
            }
            return model;
        }
        Path download = cache.resolve(e.name()).resolve(e.fileName());
        downloader.fetch(source(e), e.sha256(), e.size(), download, progress);
        if (!e.archived()) {
            return download;
        }
        unpack(e, download);
        return model;
    }

    private void unpack(ZooEntry e, Path archive) {
        Path dir = archive.getParent();
        List<String> wanted = new ArrayList<>(List.of(e.innerFile()));
        if (e.labelsFile() != null) {
            wanted.add(e.labelsFile());
        }
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry z; (z = zip.getNextEntry()) != null; ) {
                String base = Path.of(z.getName()).getFileName().toString();
                if (!z.isDirectory() && wanted.contains(base)) {
                    Path tmp = Files.createTempFile(dir, base, ".part");
                    Files.copy(zip, tmp, StandardCopyOption.REPLACE_EXISTING);
                    if (base.equals(e.innerFile())) {
                        String have = Downloader.sha256(tmp);
                        if (!have.equalsIgnoreCase(e.innerSha256())) {
                            Files.deleteIfExists(tmp);
                            throw new ModelException(e.innerFile() + " inside " + archive + " has SHA-256 " + have
                                    + ", not " + e.innerSha256());
                        }
                    }
                    Files.move(tmp, dir.resolve(base), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException ex) {
            throw new ModelException("cannot unpack " + archive + ": " + ex.getMessage(), ex);
        }
        if (!Files.isRegularFile(dir.resolve(e.innerFile()))) {
            throw new ModelException(archive + " does not contain " + e.innerFile());
        }
    }

    /** The class labels shipped beside a fetched model, when the entry has them. */
    public List<String> labels(ZooEntry e) {
        if (e.labelsFile() == null) {
            return List.of();
        }
        Path p = cache.resolve(e.name()).resolve(e.labelsFile());
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (IOException ex) {
            return List.of();
        }
    }

    static final List<ZooEntry> STANDARD = List.of(
            new ZooEntry("inceptionv1",
                    "GoogLeNet / InceptionV1 as Lucid and the Circuits papers use it (Google's inception5h, "
                            + "TensorFlow GraphDef); mixed3b:379 is the curve detector the papers cite",
                    URI.create("https://storage.googleapis.com/download.tensorflow.org/models/inception5h.zip"),
                    "d13569f6a98159de37e92e9c8ec4dae8f674fbf475f69fe6199b514f756d4364", -1L,
                    "inception5h.zip", "tensorflow_inception_graph.pb",
                    "a39b08b826c9d5a5532ff424c03a3a11a202967544e389aca4b06c2bd8aef63f",
                    "imagenet_comp_graph_label_strings.txt",
                    new InputSpec(224, 224, false, 0, 255, new float[] {117, 117, 117}, new float[] {1, 1, 1}),
                    "Apache-2.0"),
            new ZooEntry("googlenet",
                    "BVLC GoogLeNet from the ONNX model zoo: the same architecture trained again (for universality)",
                    URI.create("https://github.com/onnx/models/raw/main/validated/vision/classification/"
                            + "inception_and_googlenet/googlenet/model/googlenet-7.onnx"),
                    "5725ccfd90845735ce5897faf7843c3f9b13acda3c4f3bff82cb21c9337c9de8", 28020232L,
                    "googlenet-7.onnx", null, null, null,
                    new InputSpec(224, 224, true, 0, 255, new float[] {103.939f, 116.779f, 123.68f},
                            new float[] {1, 1, 1}),
                    "BSD-3-Clause"));
}
