package org.circuitscope.kernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where Jupyter looks for kernelspecs, the way jupyter_core computes it on Linux and macOS. */
final class JupyterPaths {
    private final Map<String, String> env;
    private final Path home;

    JupyterPaths(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** The user's kernels folder: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter. */
    Path userKernels() {
        String dataDir = env.get("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir, "kernels");
        }
        if (System.getProperty("os.name", "").toLowerCase().contains("mac")) {
            return home.resolve("Library/Jupyter/kernels");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share");
        return base.resolve("jupyter/kernels");
    }

    static Path prefixKernels(Path prefix) {
        return prefix.resolve("share/jupyter/kernels");
    }

    /** sys.prefix of the Python that runs {@code jupyter} (found on PATH, through its #! line). */
    Path sysPrefix() throws IOException {
        String python = "python3";
        Path jupyter = onPath("jupyter");
        if (jupyter != null) {
            String first = Files.readAllLines(jupyter, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            if (first.startsWith("#!")) {
                String interpreter = first.substring(2).trim().split("\\s+")[0];
                if (Files.isExecutable(Path.of(interpreter))) {
                    python = interpreter;
                }
            }
        }
        Process p = new ProcessBuilder(python, "-c", "import sys; print(sys.prefix)").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                throw new IOException("could not ask " + python + " for sys.prefix: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + python + " for sys.prefix");
        }
        return Path.of(out);
    }

    private Path onPath(String command) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate) && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
