package org.circuitscope.kernel;

import org.circuitscope.kernel.magic.ClasspathMagic;
import org.circuitscope.kernel.magic.JarsMagic;
import org.circuitscope.kernel.magic.LoadMagic;
import org.circuitscope.kernel.magic.MagicCatalog;
import org.circuitscope.kernel.magic.MavenArtifactResolver;
import org.circuitscope.kernel.magic.MavenMagic;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;

/**
 * Builds the kernel with its classpath magics (%jars, %classpath, %maven, %load); the rest (our magics, %time,
 * %lsmagic, renderers) arrive through the {@link CircuitscopeExtension}, found with ServiceLoader at start-up.
 */
public final class CircuitscopeKernelBuilder extends BaseKernelBuilder<CircuitscopeKernelBuilder, CircuitscopeKernel> {
    public static final String NAME = "circuitscope";

    CircuitscopeKernelBuilder() {
        name(NAME);
        String version = CircuitscopeKernel.class.getPackage().getImplementationVersion();
        version(version != null ? version : "dev");
    }

    @Override
    public CircuitscopeKernel build() {
        CircuitscopeKernel kernel = new CircuitscopeKernel(buildName(), buildVersion(),
                buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(),
                buildMagicsRegistry(), buildExtensionsEnabled(), buildErrorStyler());
        MagicCatalog catalog = MagicCatalog.of(kernel);
        kernel.getMagicsRegistry().registerLineMagic("jars", new JarsMagic(kernel));
        catalog.describeLine("jars", JarsMagic.HELP);
        kernel.getMagicsRegistry().registerLineMagic("classpath", new ClasspathMagic(kernel));
        catalog.describeLine("classpath", ClasspathMagic.HELP);
        kernel.getMagicsRegistry().registerLineMagic("maven",
                new MavenMagic(kernel, MavenArtifactResolver.fromEnvironment()));
        catalog.describeLine("maven", MavenMagic.HELP);
        kernel.getMagicsRegistry().registerLineMagic("load", new LoadMagic());
        catalog.describeLine("load", LoadMagic.HELP);
        kernel.onStartup();
        return kernel;
    }
}
