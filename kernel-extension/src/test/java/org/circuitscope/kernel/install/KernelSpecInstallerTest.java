package org.circuitscope.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecInstallerTest {

    @Test
    void optionsParse() {
        InstallOptions o = InstallOptions.parse("--prefix", "/opt/x", "--name", "cs2", "--no-cds");
        assertEquals(InstallOptions.Scope.PREFIX, o.scope());
        assertEquals(Path.of("/opt/x"), o.prefix());
        assertEquals("cs2", o.name());
        assertEquals(false, o.classDataArchive());
        assertEquals(InstallOptions.Scope.USER, InstallOptions.parse().scope());
        assertEquals(InstallOptions.Scope.SYS_PREFIX, InstallOptions.parse("--sys-prefix").scope());
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse("--bogus"));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse("--name", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse("--prefix"));
    }

    @Test
    void userKernelsFollowJupyterDataDirThenXdg(@TempDir Path home) {
        assertEquals(Path.of("/d/kernels"), new JupyterPaths(Map.of("JUPYTER_DATA_DIR", "/d"), home).userKernels());
        assertEquals(Path.of("/x/jupyter/kernels"),
                new JupyterPaths(Map.of("XDG_DATA_HOME", "/x"), home).userKernels());
        assertEquals(home.resolve(".local/share/jupyter/kernels"), new JupyterPaths(Map.of(), home).userKernels());
    }

    @Test
    void installsJarLibAndKernelJsonUnderThePrefix(@TempDir Path tmp) throws Exception {
        Path build = Files.createDirectories(tmp.resolve("target"));
        Path jar = Files.writeString(build.resolve("circuitscope-kernel.jar"), "jar");
        Path lib = Files.createDirectories(build.resolve("lib"));
        Files.writeString(lib.resolve("a-1.0.jar"), "a");
        Files.writeString(lib.resolve("b-0.1-SNAPSHOT.jar"), "b");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KernelSpecInstaller installer = new KernelSpecInstaller(Map.of(), tmp.resolve("home"),
                new PrintStream(log, true));

        Path dir = installer.install(InstallOptions.parse("--prefix", tmp.resolve("prefix").toString(), "--no-cds"),
                jar, Path.of("/usr/bin/java"));

        assertEquals(tmp.resolve("prefix/share/jupyter/kernels/circuitscope"), dir);
        assertEquals("jar", Files.readString(dir.resolve("circuitscope-kernel.jar")));
        assertEquals("a", Files.readString(dir.resolve("lib/a-1.0.jar")));
        assertEquals("b", Files.readString(dir.resolve("lib/b-0.1-SNAPSHOT.jar")));
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        List<String> argv = spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
        assertEquals("/usr/bin/java", argv.get(0));
        assertTrue(argv.contains("-Dai.djl.offline=true"), argv.toString());
        // the packages Spark needs open on Java 17, from the root pom: a cell can then add the Spark module
        assertTrue(argv.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
                && argv.contains("--add-opens=java.base/java.lang.invoke=ALL-UNNAMED"), argv.toString());
        assertTrue(argv.stream().noneMatch(a -> a.contains("${")), "an unfiltered build value: " + argv);
        // an explicit class path: the jar's manifest names only what the extension needs, not JJava itself
        String classpath = String.join(java.io.File.pathSeparator, dir.resolve("circuitscope-kernel.jar").toString(),
                dir.resolve("lib/a-1.0.jar").toString(), dir.resolve("lib/b-0.1-SNAPSHOT.jar").toString());
        assertEquals(List.of("-cp", classpath, "org.circuitscope.kernel.KernelMain", "{connection_file}"),
                argv.subList(argv.size() - 4, argv.size()));
        assertEquals("java", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        JsonObject env = spec.getAsJsonObject("env");
        assertEquals("true", env.get("OPT_OUT_TRACKING").getAsString());
        assertEquals("1", env.get("THP_MEM_ALLOC_ENABLE").getAsString());

        // installing again replaces the library folder: jars gone from the build are gone from the kernel
        Files.delete(lib.resolve("a-1.0.jar"));
        installer.install(InstallOptions.parse("--prefix", tmp.resolve("prefix").toString(), "--no-cds"), jar,
                Path.of("/usr/bin/java"));
        assertTrue(Files.notExists(dir.resolve("lib/a-1.0.jar")));
    }

    @Test
    void refusesWithoutLibFolder(@TempDir Path tmp) throws Exception {
        Path jar = Files.writeString(tmp.resolve("k.jar"), "jar");
        KernelSpecInstaller installer = new KernelSpecInstaller(Map.of(), tmp, new PrintStream(
                new ByteArrayOutputStream()));
        assertThrows(java.io.IOException.class, () -> installer.install(InstallOptions.parse("--prefix",
                tmp.toString(), "--no-cds"), jar, Path.of("java")));
    }
}
