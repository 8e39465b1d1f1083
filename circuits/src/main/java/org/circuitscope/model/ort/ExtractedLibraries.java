package org.circuitscope.model.ort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The folder ONNX Runtime's Java binding extracts its native libraries to, removed once they are loaded. The binding
 * (1.19.2) unpacks them into a fresh {@code onnxruntime-java*} folder under {@code java.io.tmpdir} and leaves their
 * deletion to the JVM's exit, which deletes the folder before the files in it and so leaves the empty folder behind:
 * one per JVM that used ONNX Runtime (every kernel session, test run and command), without end. On Linux a loaded
 * library can be deleted (its mapping stays), so the files and the folder go as soon as they are loaded.
 *
 * <p>Only folders this process has mapped a library from are touched ({@code /proc/self/maps}): another JVM may be
 * extracting its own copy at the same moment. Where there is no {@code /proc}, nothing is done.
 */
final class ExtractedLibraries {
    private ExtractedLibraries() {
    }

    static final String PREFIX = "onnxruntime-java";

    /** The extraction folders under the temporary directory that this process maps libraries from. */
    static Set<Path> mappedFolders() {
        Set<Path> folders = new TreeSet<>();
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return folders;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(maps);
        } catch (IOException e) {
            return folders;
        }
        for (String line : lines) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            // a file deleted since it was mapped is listed with " (deleted)" after its path
            String file = line.substring(slash).replace(" (deleted)", "").trim();
            Path parent = Path.of(file).getParent();
            if (parent != null && parent.getFileName() != null
                    && parent.getFileName().toString().startsWith(PREFIX) && tmp.equals(parent.getParent())) {
                folders.add(parent);
            }
        }
        return folders;
    }

    /** Deletes the libraries in this process's extraction folders, then the folders; what cannot go stays. */
    static void remove() {
        for (Path folder : mappedFolders()) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    if (f.getFileName().toString().endsWith(".so")) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                // the JVM's exit still tries (ONNX Runtime registered the files for deletion)
            }
        }
    }
}
