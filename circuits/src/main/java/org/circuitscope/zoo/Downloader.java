package org.circuitscope.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;

/**
 * Fetches a file over HTTP(S) into a cache, checking its SHA-256 before it is kept. A file already in the cache is
 * checked and used without touching the network. Downloads go to a temporary file first, so an interrupted or
 * corrupt download never looks like a cached one.
 */
public final class Downloader {
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    /** Where downloads are kept: {@code circuitscope.cache} property, {@code CIRCUITSCOPE_CACHE}, or ~/.cache/circuitscope. */
    public static Path cacheDir() {
        String p = System.getProperty("circuitscope.cache");
        if (p == null || p.isBlank()) {
            p = System.getenv("CIRCUITSCOPE_CACHE");
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".cache", "circuitscope");
        }
        return Path.of(p);
    }

    /** The file at {@code target}, downloading it from {@code url} first when it is not there yet. */
    public Path fetch(URI url, String sha256, long expectedSize, Path target, Progress progress) {
        if (Files.isRegularFile(target)) {
            String have = sha256(target);
            if (have.equalsIgnoreCase(sha256)) {
                return target;
            }
            throw new ModelException("the cached file " + target + " has SHA-256 " + have + ", not the expected "
                    + sha256 + ". Delete it to download it again, or put the right file there by hand.");
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("the server answered HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(expectedSize);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                long done = 0;
                long lastReport = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    digest.update(buf, 0, n);
                    done += n;
                    if (done - lastReport > (1 << 20) || done == total) {
                        progress.update(done, Math.max(total, 0), "downloading " + target.getFileName());
                        lastReport = done;
                    }
                    if (progress.cancelled()) {
                        throw new IOException("download interrupted");
                    }
                }
            }
            String have = HexFormat.of().formatHex(digest.digest());
            if (!have.equalsIgnoreCase(sha256)) {
                throw new ModelException("the file downloaded from " + url + " has SHA-256 " + have + ", not the "
                        + "expected " + sha256 + "; it was not kept. " + byHand(url, sha256, target));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.finish("downloaded " + target.getFileName());
            return target;
        } catch (IOException e) {
            throw new ModelException("could not download " + url + " (" + describe(e) + "). " + byHand(url, sha256,
                    target), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("download of " + url + " interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stale .part file is harmless: it is never taken for the real one
                }
            }
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException || m == null) {
            return "no connection: " + e.getClass().getSimpleName() + (m == null ? "" : " " + m);
        }
        return m;
    }

    static String byHand(URI url, String sha256, Path target) {
        return "Without network access, download it elsewhere from " + url + " and put it at " + target
                + " (SHA-256 " + sha256 + ").";
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
