package org.circuitscope.model.ort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The ONNX file a model's graph was imported from, unmodified, so that {@link OrtExecutor} can hand the same
 * network to ONNX Runtime. A model loaded from a file keeps only the path and the SHA-256 of the bytes it read (no
 * second copy of the weights on the heap); one loaded from bytes keeps a reference to them and their digest. Either
 * way {@link #bytes()} gives the bytes back only while they are the ones the graph came from: a file rewritten or an
 * array changed since the model was loaded is refused, and the caller runs the model's own graph instead.
 */
public final class OnnxSource {
    private final Path file;
    private final byte[] bytes;
    private final byte[] digest;

    private OnnxSource(Path file, byte[] bytes, byte[] digest) {
        this.file = file;
        this.bytes = bytes;
        this.digest = digest;
    }

    /** The file a model was read from, with the bytes that were read (only their digest is kept). */
    public static OnnxSource ofFile(Path file, byte[] read) {
        return new OnnxSource(file.toAbsolutePath(), null, sha256(read));
    }

    /** Bytes a model was read from; they are kept by reference (not copied), with their digest. */
    public static OnnxSource ofBytes(byte[] onnx) {
        return new OnnxSource(null, onnx, sha256(onnx));
    }

    /** The bytes the model's graph was imported from; an {@link IllegalStateException} when they changed since. */
    public byte[] bytes() {
        byte[] b;
        if (file != null) {
            try {
                b = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + " again: " + e.getMessage(), e);
            }
        } else {
            b = bytes;
        }
        if (!Arrays.equals(sha256(b), digest)) {
            throw new IllegalStateException((file != null ? file.toString() : "the model's bytes")
                    + " changed since the model was loaded");
        }
        return b;
    }

    /** The SHA-256 of the bytes, in hex: the same file or bytes loaded again have the same. */
    public String digest() {
        return java.util.HexFormat.of().formatHex(digest);
    }

    /** The file's folder (where ONNX external data would live), or null for bytes. */
    public Path folder() {
        return file == null ? null : file.getParent();
    }

    @Override
    public String toString() {
        return file != null ? file.toString() : bytes.length + " bytes";
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
