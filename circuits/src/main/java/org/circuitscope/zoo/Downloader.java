package org.circuitscope.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.circuitscope.model.Limits;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;

/**
 * Fetches a file over HTTP(S) (or from a local folder or {@code file:} URI, for mirrors) into a cache, checking its
 * SHA-256 before it is kept. A file already in the cache is checked and used without touching the network.
 * Downloads go to a temporary {@code .part} file that is deleted whatever happens, so an interrupted, stalled,
 * truncated or corrupt download never looks like a cached one and never stays behind.
 *
 * <p>No call waits long on a silent server: connecting may take {@link #connectTimeout()}, and the server may be
 * silent for at most {@link #stallTimeout()} at any point (before its headers or mid-body). The bytes are read on
 * a worker thread while the calling thread watches: it reports progress, and within a tenth of a second of
 * {@code progress.cancelled()} or an interrupt it gives up the download, deletes the partial file and says so
 * (a blocked socket read cannot be interrupted; the worker ends by itself at the stall timeout).
 */
public final class Downloader {
    /** System property for the stall timeout in seconds (default 30). */
    public static final String STALL_PROPERTY = "circuitscope.download.stall-seconds";
    private static final long WATCH_MILLIS = 100;
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "circuitscope-download");
        t.setDaemon(true);
        return t;
    });

    private final Duration connectTimeout;
    private final Duration stallTimeout;

    /** Timeouts of 20 s to connect and {@value #STALL_PROPERTY} (default 30 s) of silence. */
    public Downloader() {
        this(Duration.ofSeconds(20), Duration.ofSeconds(stallSeconds()));
    }

    public Downloader(Duration connectTimeout, Duration stallTimeout) {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || stallTimeout.isNegative()
                || stallTimeout.isZero()) {
            throw new IllegalArgumentException("download timeouts must be positive");
        }
        this.connectTimeout = connectTimeout;
        this.stallTimeout = stallTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration stallTimeout() {
        return stallTimeout;
    }

    private static long stallSeconds() {
        String v = System.getProperty(STALL_PROPERTY);
        if (v == null || v.isBlank()) {
            return 30;
        }
        try {
            long s = Long.parseLong(v.trim());
            if (s > 0) {
                return s;
            }
        } catch (NumberFormatException ignored) {
            // explained below
        }
        throw new ModelException("system property " + STALL_PROPERTY + " must be a positive number of seconds, not '"
                + v + "'");
    }

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

    /** Why the watchdog closed a connection. */
    private enum Stop { CANCELLED, STALLED }

    /**
     * The file at {@code target}, downloading it from {@code url} first when it is not there yet.
     *
     * @param expectedSize the file's size in bytes when known (a server offering another size is refused), or -1
     */
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
        Transfer transfer = new Transfer(url, expectedSize);
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            progress.update(0, Math.max(expectedSize, 0), "connecting to " + where(url));
            Path part = tmp;
            Future<?> work = WORKERS.submit(() -> {
                if ("file".equalsIgnoreCase(url.getScheme())) {
                    try (InputStream in = Files.newInputStream(Path.of(url))) {
                        transfer.total = Files.size(Path.of(url));
                        copy(in, part, digest, transfer);
                    }
                } else {
                    download(url, part, digest, transfer);
                }
                return null;
            });
            watch(work, transfer, target, progress);
            String have = HexFormat.of().formatHex(digest.digest());
            if (!have.equalsIgnoreCase(sha256)) {
                throw new ModelException("the file downloaded from " + url + " has SHA-256 " + have + ", not the "
                        + "expected " + sha256 + "; it was not kept. " + byHand(url, sha256, target));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.finish("downloaded " + target.getFileName());
            return target;
        } catch (NoSuchFileException e) {
            throw fail(url, "no file " + e.getFile(), sha256, target, progress, e);
        } catch (IOException e) {
            if (transfer.stop.get() == Stop.CANCELLED) {
                progress.finish("download interrupted");
                throw new ModelException("download of " + url + " " + stopMessage(Stop.CANCELLED, transfer)
                        + "; nothing was kept", e);
            }
            throw fail(url, describe(e, transfer), sha256, target, progress, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (ModelException e) {
            progress.finish("download failed");
            throw e;
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

    private ModelException fail(URI url, String why, String sha256, Path target, Progress progress, Exception e) {
        progress.finish("download failed");
        return new ModelException("could not download " + url + " (" + why + "); nothing was kept. "
                + byHand(url, sha256, target), e);
    }

    /** What happened to one download, for the messages. */
    private static final class Transfer {
        final URI url;
        final long expected;
        final AtomicLong done = new AtomicLong();
        final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        final AtomicReference<Stop> stop = new AtomicReference<>();
        volatile long total = -1;

        Transfer(URI url, long expected) {
            this.url = url;
            this.expected = expected;
        }

        String sofar() {
            long t = total > 0 ? total : expected;
            return done.get() + (t > 0 ? " of " + t : "") + " bytes";
        }
    }

    /**
     * Waits for the worker, reporting progress, until it ends, the user cancels, or the server has been silent
     * longer than the timeouts allow (a backstop: the socket's read timeout normally ends the worker first).
     */
    private void watch(Future<?> work, Transfer transfer, Path target, Progress progress) throws IOException {
        long backstop = stallTimeout.toNanos() + connectTimeout.toNanos();
        long reported = -1;
        while (true) {
            try {
                work.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
                progress.update(transfer.done.get(), Math.max(transfer.total, Math.max(transfer.expected, 0)),
                        "downloaded " + target.getFileName());
                return;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) {
                    throw io;
                }
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                transfer.stop.compareAndSet(null, Stop.CANCELLED);
            } catch (TimeoutException e) {
                if (progress.cancelled() || Thread.currentThread().isInterrupted()) {
                    transfer.stop.compareAndSet(null, Stop.CANCELLED);
                } else if (System.nanoTime() - transfer.lastActivity.get() > backstop) {
                    transfer.stop.compareAndSet(null, Stop.STALLED);
                }
            }
            Stop stop = transfer.stop.get();
            if (stop != null) {
                work.cancel(true);
                throw new IOException(stopMessage(stop, transfer));
            }
            long done = transfer.done.get();
            if (done != reported) {
                progress.update(done, Math.max(transfer.total, Math.max(transfer.expected, 0)), "downloading "
                        + target.getFileName());
                reported = done;
            }
        }
    }

    private void download(URI url, Path tmp, MessageDigest digest, Transfer transfer) throws IOException {
        URLConnection c = url.toURL().openConnection();
        if (!(c instanceof HttpURLConnection conn)) {
            throw new IOException("circuitscope downloads over http, https or from file: URIs, not " + url.getScheme());
        }
        conn.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        conn.setReadTimeout((int) Math.min(Integer.MAX_VALUE, stallTimeout.toMillis()));
        conn.setInstanceFollowRedirects(true);
        conn.setRequestProperty("User-Agent", "circuitscope");
        try {
            int code = conn.getResponseCode();
            transfer.lastActivity.set(System.nanoTime());
            if (code != HttpURLConnection.HTTP_OK) {
                String reason = conn.getResponseMessage();
                String location = conn.getHeaderField("Location");
                throw new IOException("the server answered HTTP " + code + (reason == null || reason.isBlank() ? ""
                        : " " + reason) + (location != null && code / 100 == 3 ? ", a redirect to " + location
                        + " that circuitscope does not follow (it follows redirects within http or https only)"
                        : ""));
            }
            transfer.total = conn.getContentLengthLong();
            if (transfer.expected > 0 && transfer.total >= 0 && transfer.total != transfer.expected) {
                throw new IOException("the server offers " + transfer.total + " bytes, but the file is "
                        + transfer.expected + " bytes");
            }
            try (InputStream in = conn.getInputStream()) {
                copy(in, tmp, digest, transfer);
            }
        } finally {
            conn.disconnect();
        }
    }

    private String stopMessage(Stop stop, Transfer transfer) {
        return stop == Stop.CANCELLED ? "interrupted after " + transfer.sofar()
                : stalled(transfer);
    }

    private String stalled(Transfer transfer) {
        return "the server sent nothing for " + stallTimeout.toSeconds() + " s after " + transfer.sofar()
                + "; raise -D" + STALL_PROPERTY + " for a slow connection";
    }

    /** Copies the body into the partial file; stops as soon as the watching thread has given up. */
    private static void copy(InputStream in, Path tmp, MessageDigest digest, Transfer transfer) throws IOException {
        long limit = transfer.expected > 0 ? transfer.expected : Limits.maxModelBytes();
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                transfer.lastActivity.set(System.nanoTime());
                if (transfer.stop.get() != null) {
                    return;
                }
                out.write(buf, 0, n);
                digest.update(buf, 0, n);
                if (transfer.done.addAndGet(n) > limit) {
                    throw new IOException("the server sent more than the " + limit + " bytes the file has");
                }
            }
        }
        if (transfer.total >= 0 && transfer.done.get() < transfer.total) {
            throw new IOException("the connection closed after " + transfer.sofar() + ": the download is truncated");
        }
    }

    private String describe(IOException e, Transfer transfer) {
        Stop stop = transfer.stop.get();
        if (stop != null) {
            return stopMessage(stop, transfer);
        }
        String m = e.getMessage();
        if (e instanceof SocketTimeoutException) {
            if (m != null && m.toLowerCase().contains("connect")) {
                return "could not connect within " + connectTimeout.toSeconds() + " s";
            }
            return stalled(transfer);
        }
        if (e instanceof ProtocolException && m != null && m.toLowerCase().contains("redirect")) {
            return "the server redirected too many times (a redirect loop): " + m;
        }
        if (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException || m == null) {
            return "no connection: " + e.getClass().getSimpleName() + (m == null ? "" : " " + m);
        }
        if (transfer.total >= 0 && transfer.done.get() < transfer.total && !m.contains("truncated")) {
            return m + ", after " + transfer.sofar() + ": the download is truncated";
        }
        return m;
    }

    private static String where(URI url) {
        return url.getHost() != null ? url.getHost() : url.toString();
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
