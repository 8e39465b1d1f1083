package org.circuitscope.kernel.install;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Installs the kernelspec: the kernel jar and its lib/ folder go into the kernelspec folder itself (hard-linked when
 * the file system allows, copied otherwise), so the spec keeps working after {@code mvn clean} or a moved checkout,
 * and {@code jupyter kernelspec remove} removes everything.
 */
public final class KernelSpecInstaller {
    static final String JAR_NAME = "circuitscope-kernel.jar";
    static final String ARCHIVE_NAME = "kernel.jsa";

    private final Map<String, String> env;
    private final Path home;
    private final PrintStream out;

    KernelSpecInstaller(Map<String, String> env, Path home, PrintStream out) {
        this.env = env;
        this.home = home;
        this.out = out;
    }

    /** Entry point of {@code java -jar circuitscope-kernel.jar install ...}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            InstallOptions options = InstallOptions.parse(args);
            Path jar = runningJar();
            // Jupyter finds the user's folder through $HOME; Java's user.home comes from the password file instead
            String home = System.getenv("HOME");
            Path homeDir = Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
            Path dir = new KernelSpecInstaller(System.getenv(), homeDir, out)
                    .install(options, jar, javaExecutable());
            out.println("Installed kernelspec " + options.name() + " in " + dir);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("install: " + e.getMessage());
            err.println("usage: install [--user|--sys-prefix|--prefix DIR] [--name NAME] [--display-name TEXT]");
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("install failed: " + e);
            return 1;
        }
    }

    /** Installs from {@code kernelJar} (with {@code lib/} beside it); returns the kernelspec folder. */
    Path install(InstallOptions options, Path kernelJar, Path java) throws IOException {
        Path libSource = kernelJar.getParent().resolve("lib");
        if (!Files.isRegularFile(kernelJar) || !Files.isDirectory(libSource)) {
            throw new IOException("expected the built kernel jar with lib/ beside it, not " + kernelJar
                    + " (build with: mvn -B package)");
        }
        Path kernels = switch (options.scope()) {
            case USER -> new JupyterPaths(env, home).userKernels();
            case SYS_PREFIX -> JupyterPaths.prefixKernels(new JupyterPaths(env, home).sysPrefix());
            case PREFIX -> JupyterPaths.prefixKernels(options.prefix().toAbsolutePath());
        };
        Path dir = kernels.resolve(options.name()).toAbsolutePath().normalize();
        Files.createDirectories(dir);

        Path lib = dir.resolve("lib");
        deleteRecursively(lib);
        Files.createDirectories(lib);
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> list = Files.list(libSource)) {
            list.filter(Files::isRegularFile).forEach(jars::add);
        }
        int linked = 0;
        for (Path source : jars) {
            linked += place(source, lib.resolve(source.getFileName().toString())) ? 1 : 0;
        }
        Path installedJar = dir.resolve(JAR_NAME);
        Files.deleteIfExists(installedJar);
        Files.copy(kernelJar, installedJar);
        List<Path> classpath = new ArrayList<>();
        classpath.add(installedJar);
        jars.stream().map(j -> lib.resolve(j.getFileName().toString())).sorted().forEach(classpath::add);

        List<String> jvmOptions = new ArrayList<>();
        Path archive = dir.resolve(ARCHIVE_NAME);
        Files.deleteIfExists(archive);
        if (options.classDataArchive()) {
            if (ClassDataArchive.create(java, classpath, archive, out)) {
                jvmOptions.add("-XX:SharedArchiveFile=" + archive);
            }
        }
        Files.writeString(dir.resolve("kernel.json"), KernelSpec.json(java, classpath, options.displayName(),
                jvmOptions), StandardCharsets.UTF_8);
        copyLogo(dir);
        out.println("Placed the kernel jar and " + jars.size() + " library jars (" + linked + " hard-linked) in "
                + dir);
        return dir;
    }

    /**
     * Hard-links a released jar at {@code target}, or copies it; true when linked. Snapshot jars are always copied: a
     * rebuild may rewrite them in place, and a link would change the installed kernel under a running JVM.
     */
    private static boolean place(Path source, Path target) throws IOException {
        if (source.getFileName().toString().contains("-SNAPSHOT")) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
        try {
            Files.createLink(target, source);
            return true;
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
    }

    private static void copyLogo(Path dir) throws IOException {
        try (var logo = KernelSpecInstaller.class.getResourceAsStream("/kernelspec/logo-64x64.png")) {
            if (logo != null) {
                Files.copy(logo, dir.resolve("logo-64x64.png"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path runningJar() {
        try {
            Path location = Path.of(KernelSpecInstaller.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            if (!location.toString().endsWith(".jar")) {
                throw new IllegalArgumentException("install runs from the built jar (java -jar " + JAR_NAME
                        + " install), not from " + location);
            }
            return location.toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath();
    }
}
