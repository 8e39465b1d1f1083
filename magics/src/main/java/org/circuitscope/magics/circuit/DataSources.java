package org.circuitscope.magics.circuit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.circuitscope.data.Cifar10;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.ImageSource;
import org.circuitscope.magics.MagicException;
import org.circuitscope.model.Model;
import org.circuitscope.organism.World;

/**
 * The data sources a magic's {@code --data} names: {@code world} (or {@code world:SEED}: the organism's generated
 * scenes), {@code imagenet} (the ImageNet samples of the shared fixtures), {@code cifar10} (their CIFAR-10 test
 * batch), or a folder of images. Without {@code --data}: the organism world for the organism model, else the
 * ImageNet samples when present, else the organism world.
 */
public final class DataSources {
    private DataSources() {
    }

    /**
     * The fixtures folder: system property or environment variable circuitscope.shared, else ../shared (or
     * ../../shared, seen from notebooks/).
     */
    public static Path shared() {
        String p = System.getProperty("circuitscope.shared");
        if (p == null || p.isBlank()) {
            p = System.getenv("CIRCUITSCOPE_SHARED");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        // ../shared beside the checkout; from a notebook (run in notebooks/) that is ../../shared
        for (String c : new String[] {"../shared", "../../shared"}) {
            if (Files.isDirectory(Path.of(c))) {
                return Path.of(c).toAbsolutePath().normalize();
            }
        }
        return Path.of("../shared").toAbsolutePath().normalize();
    }

    public static ImageSource parse(String spec, Model model, int count, String magic) throws MagicException {
        if (spec == null) {
            Path imagenet = shared().resolve("data/imagenet-samples");
            if (!model.name().toLowerCase().startsWith("organism") && Files.isDirectory(imagenet)) {
                return ImageFolder.of(imagenet).limit(count);
            }
            return World.scenes(0, count);
        }
        String s = spec.trim();
        if (s.equalsIgnoreCase("world") || s.equalsIgnoreCase("organism")) {
            return World.scenes(0, count);
        }
        if (s.toLowerCase().startsWith("world:")) {
            try {
                return World.scenes(Long.parseLong(s.substring(6).trim()), count);
            } catch (NumberFormatException e) {
                throw new MagicException("%" + magic + ": --data world:SEED needs a whole number seed, not '" + s
                        + "'");
            }
        }
        if (s.equalsIgnoreCase("imagenet")) {
            Path p = shared().resolve("data/imagenet-samples");
            if (!Files.isDirectory(p)) {
                throw new MagicException("%" + magic + ": the ImageNet samples are not here (" + p + "); give a "
                        + "folder of images, or --data world");
            }
            return ImageFolder.of(p).limit(count);
        }
        if (s.equalsIgnoreCase("cifar10")) {
            Path p = shared().resolve("data/cifar10/test_batch.bin");
            if (!Files.isRegularFile(p)) {
                throw new MagicException("%" + magic + ": CIFAR-10 is not here (" + p + "); give a folder of images, "
                        + "or --data world");
            }
            return Cifar10.batch(p).limit(count);
        }
        Path p = Path.of(s);
        if (Files.isDirectory(p)) {
            ImageFolder folder = ImageFolder.of(p);
            if (folder.files().isEmpty()) {
                throw new MagicException("%" + magic + ": the folder " + p + " (--data) holds no image files (.jpg, "
                        + ".jpeg, .png, .bmp, .gif), here or in its sub-folders");
            }
            return folder.limit(count);
        }
        throw new MagicException("%" + magic + ": --data '" + s + "' is neither a data source name (world, "
                + "world:SEED, imagenet, cifar10) nor a folder of images");
    }
}
