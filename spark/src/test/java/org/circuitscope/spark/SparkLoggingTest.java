package org.circuitscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that configures no log4j2 gets Spark's warnings, not its INFO log of every stage and task; one that
 * configures it keeps its own. Each runs in a JVM of its own, on the module's class path without the tests' own
 * log4j2.properties.
 */
class SparkLoggingTest {
    @Test
    void sparkLogsOnlyWarningsUnlessTheApplicationConfiguredLogging(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("OneJob.java");
        Files.writeString(main, """
                public class OneJob {
                    public static void main(String[] a) {
                        try (org.circuitscope.spark.SparkJobs jobs = org.circuitscope.spark.SparkJobs.local(1)) {
                            System.out.println("images " + jobs.activations(org.circuitscope.spark.ModelBytes.organism(),
                                    org.circuitscope.spark.SparkImages.world(1, 4), java.util.List.of("conv1"),
                                    org.circuitscope.activations.Reduce.MAX).images());
                        }
                    }
                }
                """);
        List<String> quiet = run(main, List.of());
        assertTrue(quiet.contains("images 4"), String.join("\n", quiet));
        assertTrue(quiet.stream().noneMatch(l -> l.contains(" INFO ")), "INFO lines: " + String.join("\n", quiet));
        // the application's own configuration (here: INFO) is left alone
        Path own = Files.writeString(dir.resolve("mine.properties"), """
                rootLogger.level = info
                rootLogger.appenderRef.out.ref = out
                appender.console.type = Console
                appender.console.name = out
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = mine %p %c{1}: %m%n
                """);
        List<String> mine = run(main, List.of("-Dlog4j2.configurationFile=" + own));
        assertTrue(mine.contains("images 4"), String.join("\n", mine));
        assertTrue(mine.stream().anyMatch(l -> l.startsWith("mine INFO SparkContext")), String.join("\n", mine));
    }

    private static List<String> run(Path main, List<String> options) throws Exception {
        List<String> classpath = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path")
                .split(File.pathSeparator)));
        // the tests' own log4j2.properties would count as the application's configuration
        classpath.removeIf(e -> e.endsWith("test-classes"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(Arrays.asList(System.getProperty("circuitscope.spark.opens", "").trim().split("\\s+")));
        command.addAll(options);
        command.addAll(List.of("-Dai.djl.offline=true", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.ui.enabled=false", "-cp",
                String.join(File.pathSeparator, classpath), main.toString()));
        command.removeIf(String::isEmpty);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("OPT_OUT_TRACKING", "true");
        Process p = b.start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }
}
