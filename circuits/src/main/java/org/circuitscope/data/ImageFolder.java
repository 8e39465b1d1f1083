package org.circuitscope.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.circuitscope.model.Limits;

/**
 * The images under a folder, searched recursively, in sorted path order. Only the list of paths is read up front;
 * each image is decoded when the iteration reaches it, so the folder may hold more images than fit in memory.
 * Labels come from the name of the sub-folder an image sits in ({@link #labelsFromFolders()}, the default), or from
 * a regular expression over the file name ({@link #labelsFromFileName(String)}: its group "label" or else its first
 * group). Files that cannot be decoded are recorded in {@link #problems()} and skipped.
 */
public final class ImageFolder implements ImageSource {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "wbmp");

    private final Path root;
    private final List<Path> files;
    private final Pattern fileNameLabel;
    private final UnaryOperator<BufferedImage> transform;
    private final Map<String, String> problems;

    private ImageFolder(Path root, List<Path> files, Pattern fileNameLabel, UnaryOperator<BufferedImage> transform,
                        Map<String, String> problems) {
        this.root = root;
        this.files = files;
        this.fileNameLabel = fileNameLabel;
        this.transform = transform;
        this.problems = problems;
    }

    /** The images under {@code root} (recursively), labelled by their sub-folder's name. */
    public static ImageFolder of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(Files.exists(root) ? root + " is not a folder"
                    : "no folder at " + root.toAbsolutePath());
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolder::looksLikeImage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return new ImageFolder(root, files, null, null, new LinkedHashMap<>());
    }

    private static boolean looksLikeImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && !n.startsWith(".") && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Labels from the sub-folder each image is in (images directly in the root folder have no label). */
    public ImageFolder labelsFromFolders() {
        return new ImageFolder(root, files, null, transform, problems);
    }

    /**
     * Labels from the file name: the group called "label" of {@code regex} if it has one, else its first group,
     * else the whole match; files whose names do not match get no label. E.g. {@code "^(n\\d+)_"} for ImageNet
     * file names such as {@code n01440764_tench.JPEG}.
     */
    public ImageFolder labelsFromFileName(String regex) {
        return new ImageFolder(root, files, Pattern.compile(regex), transform, problems);
    }

    /** Applies {@code f} to each image as it is read (e.g. a resize and centre crop). */
    public ImageFolder transform(UnaryOperator<BufferedImage> f) {
        return new ImageFolder(root, files, fileNameLabel, f, problems);
    }

    public Path root() {
        return root;
    }

    /** The image files found, in the order they are read. */
    public List<Path> files() {
        return files;
    }

    @Override
    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    @Override
    public OptionalInt size() {
        return OptionalInt.of(files.size());
    }

    @Override
    public List<String> labels() {
        Set<String> s = new TreeSet<>();
        for (Path f : files) {
            String l = labelOf(f);
            if (l != null) {
                s.add(l);
            }
        }
        return List.copyOf(s);
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

    /** The id a sample of this file gets (its path relative to the root). */
    public String idOf(Path f) {
        return root.relativize(f).toString();
    }

    /** The label a sample of this file gets (null when the folder gives none). */
    public String labelOf(Path f) {
        if (fileNameLabel != null) {
            Matcher m = fileNameLabel.matcher(f.getFileName().toString());
            if (!m.find()) {
                return null;
            }
            if (fileNameLabel.pattern().contains("(?<label>")) {
                return m.group("label");
            }
            return m.groupCount() >= 1 ? m.group(1) : m.group();
        }
        Path rel = root.relativize(f);
        return rel.getNameCount() > 1 ? rel.getName(rel.getNameCount() - 2).toString() : null;
    }

    @Override
    public Iterator<Sample> iterator() {
        return new Iterator<>() {
            private int next;
            private Sample ready;

            @Override
            public boolean hasNext() {
                while (ready == null && next < files.size()) {
                    ready = read(files.get(next++));
                }
                return ready != null;
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

    private Sample read(Path f) {
        String id = idOf(f);
        BufferedImage img;
        try {
            img = decode(f);
        } catch (IOException | RuntimeException e) {
            problem(id, "unreadable image (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return null;
        }
        if (img == null) {
            problem(id, "not an image any installed decoder reads");
            return null;
        }
        if (transform != null) {
            try {
                img = transform.apply(img);
            } catch (RuntimeException e) {
                problem(id, "could not be transformed: " + e.getMessage());
                return null;
            }
        }
        return new Sample(id, labelOf(f), img);
    }

    /**
     * Decodes an image file, treating the decoder's warnings (a truncated or corrupt JPEG decodes partly, with a
     * warning) as failures; null when no decoder knows the format. The size the file declares is checked against
     * {@link Limits#maxImagePixels()} before any pixel is decoded. JPEGs are read by TwelveMonkeys' decoder, which
     * converts CMYK and YCCK files and embedded colour profiles to sRGB (the JDK's own reader gets their colours
     * wrong); grey and 16-bit images are turned into sRGB by {@link org.circuitscope.image.Images#toRgb}.
     */
    public static BufferedImage decode(Path f) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            if (in == null) {
                throw new IOException("cannot open " + f);
            }
            return decode(in);
        }
    }

    /** As {@link #decode(Path)}, from an encoded file's bytes (an image sent to another machine). */
    public static BufferedImage decode(byte[] encoded) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(encoded))) {
            return decode(in);
        }
    }

    private static BufferedImage decode(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try {
            reader.addIIOReadWarningListener((source, warning) -> {
                // colour-management notices (a CMYK file without a profile, a bad profile ignored) come with
                // complete pixels; other warnings mean missing data
                if (!warning.contains("ICC") && !warning.toLowerCase(Locale.ROOT).contains("color profile")) {
                    warnings.add(warning);
                }
            });
            reader.setInput(in, true, true);
            long w = reader.getWidth(0);
            long h = reader.getHeight(0);
            if (w <= 0 || h <= 0 || w * h > Limits.maxImagePixels()) {
                throw new IOException("the file declares a " + w + "x" + h + " image, " + (w <= 0 || h <= 0
                        ? "which has no pixels" : "more than the " + Limits.maxImagePixels() + " pixels circuitscope "
                        + "decodes (-Dcircuitscope.max-image-pixels raises it)"));
            }
            BufferedImage img = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new IOException("corrupt data: " + String.join("; ", warnings));
            }
            return img;
        } finally {
            reader.dispose();
        }
    }

    @Override
    public String toString() {
        return "ImageFolder " + root + " (" + files.size() + " images)";
    }
}
