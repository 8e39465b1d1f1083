package org.circuitscope.kernel.install;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** The kernel.json Jupyter reads: how to start the kernel, in which language, with which environment. */
final class KernelSpec {
    /** JVM options every kernel starts with; DJL must never try to download engines or report usage. */
    static final List<String> JVM_OPTIONS = List.of("-Dai.djl.offline=true", "-Djava.awt.headless=true");

    private KernelSpec() {
    }

    static String json(Path java, Path kernelJar, String displayName, List<String> extraJvmOptions) {
        JsonObject spec = new JsonObject();
        JsonArray argv = new JsonArray();
        argv.add(java.toString());
        JVM_OPTIONS.forEach(argv::add);
        extraJvmOptions.forEach(argv::add);
        argv.add("-jar");
        argv.add(kernelJar.toString());
        argv.add("{connection_file}");
        spec.add("argv", argv);
        spec.addProperty("display_name", displayName);
        spec.addProperty("language", "java");
        // interrupts arrive as messages: a SIGINT would end the JVM
        spec.addProperty("interrupt_mode", "message");
        JsonObject env = new JsonObject();
        env.addProperty("OPT_OUT_TRACKING", "true");
        env.addProperty("JDK_JAVA_OPTIONS", "-Dai.djl.offline=true");
        spec.add("env", env);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        spec.add("metadata", metadata);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }
}
