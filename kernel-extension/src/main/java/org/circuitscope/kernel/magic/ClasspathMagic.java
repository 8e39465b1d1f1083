package org.circuitscope.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %classpath <dir|jar|glob>...} adds class folders or jars; alone, it lists what was added. */
public final class ClasspathMagic implements LineMagic<Object, BaseKernel> {
    public static final String HELP = "%classpath [dir|jar|glob...]: add class folders or jars; alone, list them";
    private final ClasspathTarget target;

    public ClasspathMagic(ClasspathTarget target) {
        this.target = target;
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) throws Exception {
        if (args.isEmpty()) {
            List<String> added = target.addedClasspath();
            return added.isEmpty() ? "Nothing added to the classpath yet; the kernel's own jars are always there."
                    : String.join("\n", added);
        }
        int count = 0;
        for (String arg : args) {
            for (Path p : PathPatterns.expand("classpath", arg)) {
                target.addToClasspath(p.toString());
                count++;
            }
        }
        System.out.println("Added " + count + (count == 1 ? " entry" : " entries") + " to the classpath");
        return null;
    }
}
