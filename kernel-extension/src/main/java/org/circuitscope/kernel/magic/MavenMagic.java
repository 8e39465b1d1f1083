package org.circuitscope.kernel.magic;

import java.nio.file.Path;
import java.util.List;
import org.circuitscope.magics.MagicException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %maven group:artifact:version...}: resolves artifacts with their dependencies and adds them. */
public final class MavenMagic implements LineMagic<Object, BaseKernel> {
    public static final String HELP = "%maven <group:artifact:version>...: resolve from ~/.m2 or Maven Central, "
            + "add with dependencies";
    private final ClasspathTarget target;
    private final MavenArtifactResolver resolver;

    public MavenMagic(ClasspathTarget target, MavenArtifactResolver resolver) {
        this.target = target;
        this.resolver = resolver;
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new MagicException("%maven needs coordinates, e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        for (String coordinates : args) {
            List<Path> jars = resolver.resolve(coordinates);
            jars.forEach(j -> target.addToClasspath(j.toString()));
            System.out.println("Resolved " + coordinates + ": " + jars.size() + (jars.size() == 1 ? " jar" : " jars")
                    + " added to the classpath");
        }
        return null;
    }
}
