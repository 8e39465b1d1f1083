package org.circuitscope.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Activations of 10,000 images at a 64×56×56 layer, reduced, run in a JVM limited to a 512 MB heap; native memory
 * must not grow across batches (see {@link MemoryBoundMain}).
 */
class MemoryBoundTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tenThousandImagesOfA64x56x56LayerFitIn512MegabytesOfHeap() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-cp", cp, MemoryBoundMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(4, TimeUnit.MINUTES), "the forked run did not end");
        String relevant = out.lines().filter(l -> !l.startsWith("SLF4J")).reduce("", (a, b) -> a + b + "\n");
        System.out.println("forked -Xmx512m run: " + relevant.trim());
        assertEquals(0, p.exitValue(), relevant);
        assertTrue(out.contains("OK"), relevant);
    }
}
