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

    /** The libtorch setting (read when it starts) for huge-page backed arrays. */
    static final String LIBTORCH_HUGE_PAGES = "THP_MEM_ALLOC_ENABLE";

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
