package org.circuitscope.kernel;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The kernel's own classpath as a list of files, including the jars a jar's manifest {@code Class-Path} names: with
 * {@code java -jar}, {@code java.class.path} holds the kernel jar alone, but cells must compile against everything.
 */
public final class KernelClasspath {
    private KernelClasspath() {
    }

    public static List<String> entries() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addWithManifest(Path.of(entry).toAbsolutePath().normalize(), entries);
            }
        }
        return new ArrayList<>(entries);
    }

    private static void addWithManifest(Path entry, Set<String> entries) {
        if (!entries.add(entry.toString()) || !Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null) {
                return;
            }
            for (String ref : classPath.trim().split("\\s+")) {
                Path resolved = resolve(entry.getParent(), ref);
                if (resolved != null && Files.exists(resolved)) {
                    addWithManifest(resolved, entries);
                }
            }
        } catch (IOException e) {
            // an unreadable jar contributes only itself
        }
    }

    private static Path resolve(Path base, String ref) {
        try {
            URI uri = URI.create(ref);
            if (uri.isAbsolute()) {
                return "file".equals(uri.getScheme()) ? Path.of(uri).normalize() : null;
            }
            return base.resolve(uri.getPath()).normalize();
        } catch (IllegalArgumentException e) {
            return base.resolve(ref).normalize();
        }
    }
}
