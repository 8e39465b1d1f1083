package org.circuitscope.magics.activations;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.circuitscope.data.Cifar10;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageSource;
import org.circuitscope.image.Images;
import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.tuning.StimulusSpecs;
import org.circuitscope.model.Model;
import org.circuitscope.organism.World;

/**
 * The image sources a magic's line can name: a folder of images (searched recursively, labelled by sub-folder, or
 * by a file-name regex), {@code cifar10:<batch file>}, a stimulus spec ({@code curves?orient=0:360:10}, see
 * {@link StimulusSpecs}), or {@code world[:N[:seed]]} (the embedded model's world of scenes).
 */
public final class Sources {
    private Sources() {
    }

    /**
     * @param labelRegex a regex over file names for folder labels, or null for sub-folder names
     * @param resize     for folders: resize each image to this square size and centre-crop the model's input
     *                   size (0: the model resizes the whole image)
     */
    public static ImageSource parse(String magic, String spec, Model model, String labelRegex, int resize)
            throws MagicException {
        try {
            return parse(spec, model, labelRegex, resize);
        } catch (MagicException e) {
            throw new MagicException(MagicArgs.prefixed(magic, e.getMessage()), e.getCause());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new MagicException(MagicArgs.prefixed(magic, e.getMessage()), e);
        }
    }

    private static ImageSource parse(String spec, Model model, String labelRegex, int resize) throws MagicException {
        if (spec.startsWith("cifar10:")) {
            Path file = Path.of(spec.substring("cifar10:".length()));
            if (!Files.isRegularFile(file)) {
                throw new MagicException("no CIFAR-10 batch file at " + file.toAbsolutePath());
            }
            return Cifar10.batch(file);
        }
        if (spec.equals("world") || spec.startsWith("world:")) {
            return world(spec);
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            ImageFolder f = ImageFolder.of(p);
            if (f.files().isEmpty()) {
                throw new MagicException("the folder " + p + " holds no image files (.jpg, .jpeg, .png, .bmp, .gif), "
                        + "here or in its sub-folders");
            }
            if (labelRegex != null) {
                try {
                    f = f.labelsFromFileName(labelRegex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new MagicException("--label-regex '" + labelRegex + "' is not a regular expression: "
                            + e.getDescription());
                }
            }
            if (resize > 0) {
                int h = model.input().height();
                int w = model.input().width();
                if (resize < Math.max(h, w)) {
                    throw new MagicException("--resize " + resize + " is smaller than the model's input " + h + "x"
                            + w);
                }
                UnaryOperator<BufferedImage> t = img -> Images.centerCrop(Images.resize(img, resize, resize), w, h);
                f = f.transform(t);
            }
            return f;
        }
        if (StimulusSpecs.isStimulus(spec) || spec.startsWith("stimuli:")) {
            return StimulusSpecs.parse(spec).size(model.input());
        }
        if (Files.exists(p)) {
            throw new MagicException(p + " is a file, not a folder of images; for a CIFAR-10 batch write cifar10:"
                    + p);
        }
        if (spec.contains("/") || spec.contains("\\") || spec.startsWith(".")) {
            throw new MagicException("no folder at " + p.toAbsolutePath() + " (the image source '" + spec + "')");
        }
        throw new MagicException("no image source '" + spec + "': give a folder of images, cifar10:<batch file>, "
                + "a stimulus kind (curves, lines, edges, angles, gratings, boundaries, spots; e.g. curves?orient=0:360:10)"
                + " or world");
    }

    /**
     * Refuses a finished run that read no image at all (every file of the source unreadable), naming the first
     * problems; an interrupted run keeps its (empty) partial result.
     */
    public static void requireImages(String magic, ImageSource source, long seen, boolean partial)
            throws MagicException {
        if (seen > 0 || partial) {
            return;
        }
        List<String> problems = source.problems();
        throw new MagicException(MagicArgs.prefixed(magic, "no image of " + source.name() + " could be read"
                + (problems.isEmpty() ? "" : " (" + problems.size() + " unreadable: " + String.join("; ",
                problems.subList(0, Math.min(3, problems.size()))) + (problems.size() > 3 ? "; ..." : "") + ")")));
    }

    /** The seed of the world scenes {@code world} names: scenes the embedded model was not trained on. */
    public static final long WORLD_SEED = 2024;

    /** {@code world}, {@code world:N} or {@code world:N:seed}: the embedded model's world of scenes. */
    private static ImageSource world(String spec) throws MagicException {
        String[] parts = spec.split(":");
        int n = 1000;
        long seed = WORLD_SEED;
        try {
            if (parts.length > 1) {
                n = Integer.parseInt(parts[1].trim());
            }
            if (parts.length > 2) {
                seed = Long.parseLong(parts[2].trim());
            }
        } catch (NumberFormatException e) {
            throw new MagicException("write world, world:N or world:N:seed with whole numbers, not '" + spec + "'");
        }
        if (n < 1 || n > 1_000_000) {
            throw new MagicException("world:N needs N between 1 and 1000000, not " + n);
        }
        return World.scenes(seed, n);
    }
}
