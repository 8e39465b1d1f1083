package org.circuitscope.kernel.magic;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.circuitscope.magics.MagicException;

/** Turns the paths and globs (like {@code lib/*.jar}) that classpath magics take into existing paths. */
final class PathPatterns {
    private PathPatterns() {
    }

    static boolean isGlob(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0
                || pattern.indexOf('{') >= 0;
    }

    /** The paths a pattern names; a glob may match several, a plain path must exist. */
    static List<Path> expand(String magic, String pattern) throws MagicException {
        String expanded = pattern.startsWith("~/") ? System.getProperty("user.home") + pattern.substring(1)
                : pattern;
        if (!isGlob(expanded)) {
            Path p = Path.of(expanded).toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw new MagicException("%" + magic + ": " + p + " does not exist");
            }
            return List.of(p);
        }
        Path base = globBase(expanded);
        String rest = base.toString().isEmpty() ? expanded : expanded.substring(Math.min(expanded.length(),
                base.toString().length() + 1));
        Path root = base.toString().isEmpty() ? Path.of("").toAbsolutePath() : base.toAbsolutePath();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root, rest.contains("**") ? Integer.MAX_VALUE : depth(rest))) {
                walk.filter(p -> matcher.matches(root.relativize(p))).sorted().forEach(found::add);
            } catch (IOException e) {
                throw new MagicException("%" + magic + ": cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        if (found.isEmpty()) {
            throw new MagicException("%" + magic + ": nothing matches " + pattern);
        }
        return found;
    }

    private static Path globBase(String pattern) {
        Path base = Path.of("");
        for (String part : pattern.split("/", -1)) {
            if (isGlob(part)) {
                break;
            }
            base = part.isEmpty() && base.toString().isEmpty() ? Path.of("/") : base.resolve(part);
        }
        return base;
    }

    private static int depth(String relativeGlob) {
        return relativeGlob.split("/").length;
    }
}
