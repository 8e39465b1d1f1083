package org.circuitscope.kernel.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.circuitscope.magics.MagicException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %jars <jar|folder|glob>...}: adds jars to the notebook's classpath (a folder adds the jars in it). */
public final class JarsMagic implements LineMagic<Object, BaseKernel> {
    public static final String HELP = "%jars <jar|dir|glob>...: add jars to the classpath (a dir adds its *.jar)";
    private final ClasspathTarget target;

    public JarsMagic(ClasspathTarget target) {
        this.target = target;
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new MagicException("%jars needs at least one jar, folder or glob, e.g. %jars lib/*.jar");
        }
        List<Path> jars = new ArrayList<>();
        for (String arg : args) {
            for (Path p : PathPatterns.expand("jars", arg)) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> list = Files.list(p)) {
                        list.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
                    }
                } else {
                    jars.add(p);
                }
            }
        }
        if (jars.isEmpty()) {
            throw new MagicException("%jars: no .jar files in " + String.join(" ", args));
        }
        jars.forEach(j -> target.addToClasspath(j.toString()));
        System.out.println("Added " + jars.size() + (jars.size() == 1 ? " jar" : " jars") + " to the classpath");
        return null;
    }
}
