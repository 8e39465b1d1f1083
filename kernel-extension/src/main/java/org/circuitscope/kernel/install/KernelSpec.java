package org.circuitscope.kernel.install;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The kernel.json Jupyter reads: how to start the kernel, in which language, with which environment. */
final class KernelSpec {
    /**
     * JVM options every kernel starts with: DJL must never try to download engines or report usage, and the packages
     * Apache Spark needs opened on Java 17 are open, so that a cell can add the Spark module ({@code %maven
     * org.circuitscope:circuitscope-spark:...}) and run its jobs in local mode in the kernel (the flags cost nothing
     * when Spark is not used; they cannot be added to a running JVM).
     */
    static final List<String> JVM_OPTIONS = jvmOptions();

    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Dai.djl.offline=true", "-Djava.awt.headless=true"));
        options.addAll(sparkOpens());
        return List.copyOf(options);
    }

    /** The root pom's {@code spark.opens}, written into the jar at build time. */
    static List<String> sparkOpens() {
        try (InputStream in = KernelSpec.class.getResourceAsStream("spark-opens.txt")) {
            if (in == null) {
                throw new IllegalStateException("spark-opens.txt is missing from the kernel jar: rebuild it");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!text.startsWith("--add-opens=")) {
                throw new IllegalStateException("spark-opens.txt holds '" + text + "', not the build's flags");
            }
            return List.of(text.split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The libtorch setting (read when it starts) for huge-page backed arrays. */
    static final String LIBTORCH_HUGE_PAGES = "THP_MEM_ALLOC_ENABLE";

    private KernelSpec() {
    }

    /** The main class the kernel starts with. */
    static final String MAIN_CLASS = "org.circuitscope.kernel.KernelMain";

    /**
     * The command that runs the kernel (or, with {@code argument} "warmup", its warm-up): an explicit class path, since
     * the jar's manifest names only what the extension needs, not the kernel-only jars (JJava, the slf4j binding, the
     * Maven resolver).
     */
    static List<String> command(Path java, List<Path> classpath, List<String> extraJvmOptions, String argument) {
        return command(java, classpath, extraJvmOptions, argument, true);
    }

    /**
     * @param agent whether to run with the kernel jar as agent; the class-data archive is recorded without it (the
     *              JVM refuses to dump one with an agent), and the kernel then runs from it with the agent
     */
    static List<String> command(Path java, List<Path> classpath, List<String> extraJvmOptions, String argument,
                                boolean agent) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(extraJvmOptions);
        if (agent) {
            // the kernel jar is also the agent that redefines snippet classes in place (see ClassRedefinition)
            command.add("-javaagent:" + classpath.get(0));
        }
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(MAIN_CLASS);
        command.add(argument);
        return command;
    }

    static String json(Path java, List<Path> classpath, String displayName, List<String> extraJvmOptions) {
        JsonObject spec = new JsonObject();
        JsonArray argv = new JsonArray();
        command(java, classpath, extraJvmOptions, "{connection_file}").forEach(argv::add);
        spec.add("argv", argv);
        spec.addProperty("display_name", displayName);
        spec.addProperty("language", "java");
        // interrupts arrive as messages: a SIGINT would end the JVM
        spec.addProperty("interrupt_mode", "message");
        JsonObject env = new JsonObject();
        env.addProperty("OPT_OUT_TRACKING", "true");
        // libtorch backs its large arrays with transparent huge pages: far fewer page faults on the tens of
        // megabytes a batch's activations take (SqueezeNet's first convolution at batch 16: 116 -> 73-86 ms)
        env.addProperty(LIBTORCH_HUGE_PAGES, "1");
        spec.add("env", env);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        spec.add("metadata", metadata);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }
}
