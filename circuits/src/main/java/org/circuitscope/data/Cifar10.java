package org.circuitscope.data;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;

/**
 * A CIFAR-10 binary batch file ({@code data_batch_N.bin}, {@code test_batch.bin}): records of one label byte then
 * 1024 red, 1024 green and 1024 blue bytes, each a row-major 32×32 plane. Records are read one at a time as the
 * iteration goes, so only the current batch is in memory. Class names come from {@code batches.meta.txt} beside
 * the file (one a line) when it is there, else the label numbers. Ids are {@code <file>#<record index>}. A file
 * whose length is not a whole number of records has its trailing part reported in {@link #problems()}.
 */
public final class Cifar10 implements ImageSource {
    public static final int SIDE = 32;
    public static final int RECORD = 1 + 3 * SIDE * SIDE;

    private final Path file;
    private final List<String> classes;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private Cifar10(Path file, List<String> classes) {
        this.file = file;
        this.classes = classes;
    }

    /** One batch file, with class names from {@code batches.meta.txt} beside it when present. */
    public static Cifar10 batch(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no CIFAR-10 batch file at " + file.toAbsolutePath());
        }
        Path meta = file.toAbsolutePath().getParent().resolve("batches.meta.txt");
        List<String> classes = new ArrayList<>();
        if (Files.isRegularFile(meta)) {
            try {
                for (String line : Files.readAllLines(meta)) {
                    if (!line.isBlank()) {
                        classes.add(line.trim());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + meta + ": " + e.getMessage(), e);
            }
        }
        if (classes.isEmpty()) {
            for (int i = 0; i < 10; i++) {
                classes.add(String.valueOf(i));
            }
        }
        return new Cifar10(file, List.copyOf(classes));
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return "cifar10:" + file.getFileName();
    }

    @Override
    public OptionalInt size() {
        try {
            return OptionalInt.of((int) (Files.size(file) / RECORD));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public List<String> labels() {
        return classes;
    }

    @Override
    public synchronized List<String> problems() {
        List<String> r = new ArrayList<>();
        problems.forEach((id, why) -> r.add(id + ": " + why));
        return r;
    }

    private synchronized void problem(String id, String why) {
        problems.put(id, why);
    }

    /** Decodes one record (label byte and three planes) into a 32×32 RGB image. */
    public static BufferedImage decode(byte[] record, int offset) {
        int plane = SIDE * SIDE;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = record[offset + 1 + i] & 0xff;
            int g = record[offset + 1 + plane + i] & 0xff;
            int b = record[offset + 1 + 2 * plane + i] & 0xff;
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, SIDE, SIDE, rgb, 0, SIDE);
        return img;
    }

    @Override
    public Iterator<Sample> iterator() {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), RECORD * 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        String base = file.getFileName().toString();
        return new Iterator<>() {
            private final byte[] buf = new byte[RECORD];
            private int index;
            private Sample ready;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (ready == null && !done) {
                    ready = readOne();
                }
                return ready != null;
            }

            private Sample readOne() {
                int got;
                try {
                    got = in.readNBytes(buf, 0, RECORD);
                } catch (IOException e) {
                    problem(base + "#" + index, "read failed (" + e.getMessage() + "); the rest is skipped");
                    close();
                    return null;
                }
                if (got == 0) {
                    close();
                    return null;
                }
                String id = base + "#" + index++;
                if (got < RECORD) {
                    problem(id, "file ends inside this record (" + got + " of " + RECORD + " bytes)");
                    close();
                    return null;
                }
                int label = buf[0] & 0xff;
                if (label >= classes.size()) {
                    problem(id, "label byte " + label + " is not a class (0.." + (classes.size() - 1) + ")");
                    return null;
                }
                return new Sample(id, classes.get(label), decode(buf, 0));
            }

            private void close() {
                done = true;
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing more to read either way
                }
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Sample s = ready;
                ready = null;
                return s;
            }
        };
    }

    @Override
    public String toString() {
        return "CIFAR-10 batch " + file + " (" + size().orElse(-1) + " images)";
    }

}
