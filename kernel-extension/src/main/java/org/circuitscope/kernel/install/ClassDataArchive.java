package org.circuitscope.kernel.install;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a class-data-sharing archive for the installed kernel by running its warm-up once with
 * {@code -XX:ArchiveClassesAtExit}. Kernels started with {@code -XX:SharedArchiveFile} then map those classes instead
 * of loading them. A JVM that finds the archive stale (another JDK, changed jars) ignores it and starts as usual.
 */
final class ClassDataArchive {
    private static final long TIMEOUT_SECONDS = 300;

    private ClassDataArchive() {
    }

    /** True when the archive was written. */
    static boolean create(Path java, List<Path> classpath, Path archive, PrintStream out) {
        List<String> command = KernelSpec.command(java, classpath, List.of("-XX:ArchiveClassesAtExit=" + archive),
                "warmup", false);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        try {
            Path log = Files.createTempFile("circuitscope-cds", ".log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            boolean ok = finished && process.exitValue() == 0 && Files.isRegularFile(archive);
            if (!ok) {
                out.println("Note: no class-data archive (the kernel starts without it, a little slower). Warm-up log:");
                Files.readAllLines(log, StandardCharsets.UTF_8).stream().limit(20).forEach(l -> out.println("  " + l));
            }
            Files.deleteIfExists(log);
            return ok;
        } catch (IOException e) {
            out.println("Note: no class-data archive: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
