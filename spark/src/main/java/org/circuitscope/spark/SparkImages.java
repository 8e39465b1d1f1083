package org.circuitscope.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;

/** Datasets as lists of {@link SparkImage}s, in the order the single-JVM sources walk them. */
public final class SparkImages {
    private SparkImages() {
    }

    /** The first {@code count} scenes of the organism's world with this seed ({@code World.scenes(seed, count)}). */
    public static List<SparkImage> world(long seed, int count) {
        List<SparkImage> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new SparkImage.Scene(i, seed));
        }
        return out;
    }

    /** A folder's files as their bytes (read here, decoded on the executors), with the folder's ids and labels. */
    public static List<SparkImage> encoded(ImageFolder folder) {
        return encoded(folder, Integer.MAX_VALUE);
    }

    /** The first {@code limit} files of a folder, as {@link #encoded(ImageFolder)}. */
    public static List<SparkImage> encoded(ImageFolder folder, int limit) {
        List<SparkImage> out = new ArrayList<>();
        long i = 0;
        List<Path> files = folder.files();
        for (Path f : files.subList(0, Math.min(limit, files.size()))) {
            try {
                out.add(new SparkImage.Encoded(i++, folder.idOf(f), folder.labelOf(f), Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** A folder's files by path, for executors that see the same file system. */
    public static List<SparkImage> files(ImageFolder folder) {
        List<SparkImage> out = new ArrayList<>();
        long i = 0;
        for (Path f : folder.files()) {
            out.add(new SparkImage.File(i++, folder.idOf(f), folder.labelOf(f), f.toAbsolutePath().toString()));
        }
        return out;
    }

    /**
     * Any source's images in its order: a folder's files by path ({@link #files}: the executors must see the same
     * file system), anything else (the organism's world, CIFAR-10) read here and shipped as lossless PNG bytes, so
     * the executors decode the pixels the source gave. Ids and labels are the source's.
     */
    public static List<SparkImage> of(ImageSource source) {
        if (source instanceof ImageFolder folder) {
            return files(folder);
        }
        List<SparkImage> out = new ArrayList<>();
        long i = 0;
        for (Sample s : source) {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            try {
                javax.imageio.ImageIO.write(s.image(), "png", png);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode image " + s.id() + ": " + e.getMessage(), e);
            }
            out.add(new SparkImage.Encoded(i++, s.id(), s.label(), png.toByteArray()));
        }
        return out;
    }
}
