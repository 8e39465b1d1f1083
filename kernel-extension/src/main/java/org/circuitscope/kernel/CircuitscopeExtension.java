package org.circuitscope.kernel;

import org.circuitscope.kernel.magic.KernelMagicContext;
import org.circuitscope.kernel.magic.LsMagic;
import org.circuitscope.kernel.magic.MagicAdapter;
import org.circuitscope.kernel.magic.MagicCatalog;
import org.circuitscope.kernel.magic.TimeMagic;
import org.circuitscope.kernel.magic.VariableBinder;
import org.circuitscope.kernel.render.Renderers;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicProvider;
import org.circuitscope.magics.Session;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.circuitscope.kernel.jshell.ValueHandoff;

/**
 * circuitscope as a jjava extension: renderers for images, Tablesaw tables, JFreeChart charts and engine results;
 * the engine's magics; %time and %lsmagic. Listed in META-INF/services, so putting the jar on a JJava kernel's
 * classpath installs it there too.
 */
public final class CircuitscopeExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        if (!(kernel instanceof CircuitscopeKernel)) {
            LibraryLogging.configureExtension();
        }
        Renderers.registerAll(kernel.getRenderer());
        MagicsRegistry registry = kernel.getMagicsRegistry();
        MagicCatalog catalog = MagicCatalog.of(kernel);

        Session session = new Session();
        if (kernel instanceof CircuitscopeKernel ours) {
            ours.useMagicSession(session);
        }
        KernelMagicContext context = new KernelMagicContext(kernel, session, binderFor(kernel));
        for (Magic magic : MagicProvider.all()) {
            MagicAdapter adapter = new MagicAdapter(magic, context);
            registry.registerLineMagic(magic.name(), adapter);
            catalog.describeLine(magic.name(), magic.help());
            if (magic.hasCellForm()) {
                registry.registerCellMagic(magic.name(), adapter);
                catalog.describeCell(magic.name(), magic.help());
            }
        }

        TimeMagic time = new TimeMagic();
        registry.registerLineMagic("time", time);
        registry.registerCellMagic("time", time);
        catalog.describeLine("time", TimeMagic.HELP);
        catalog.describeCell("time", TimeMagic.HELP);
        if (kernel instanceof CircuitscopeKernel ours) {
            ours.registerRawLineMagic("time", time);
        }
        registry.registerLineMagic("lsmagic", new LsMagic());
        catalog.describeLine("lsmagic", LsMagic.HELP);
    }

    private static VariableBinder binderFor(BaseKernel kernel) {
        if (kernel instanceof CircuitscopeKernel ours) {
            return ours::declareVariable;
        }
        // another JJava kernel: declare through its evaluator
        return (name, type, value) -> kernel.evalRaw(ValueHandoff.declaration(name, type, value));
    }
}
