package org.circuitscope.kernel;

import java.util.List;
import java.util.Map;
import org.circuitscope.kernel.cell.MagicInvoker;
import org.circuitscope.kernel.cell.UnknownMagicException;
import org.circuitscope.kernel.magic.RawLineMagic;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;

/** Calls magics from jjava's registry (where extensions put theirs); raw-line magics get the line as typed. */
final class KernelMagicInvoker implements MagicInvoker {
    private final BaseKernel kernel;
    private final Map<String, RawLineMagic> rawLineMagics;

    KernelMagicInvoker(BaseKernel kernel, Map<String, RawLineMagic> rawLineMagics) {
        this.kernel = kernel;
        this.rawLineMagics = rawLineMagics;
    }

    @Override
    public Object line(String name, List<String> args, String rawArgs) throws Exception {
        RawLineMagic raw = rawLineMagics.get(name);
        if (raw != null) {
            return raw.evalRaw(kernel, rawArgs);
        }
        MagicsRegistry registry = kernel.getMagicsRegistry();
        if (!registry.getLineMagicNames().contains(name)) {
            java.util.Set<String> known = new java.util.TreeSet<>(registry.getLineMagicNames());
            known.addAll(rawLineMagics.keySet());
            throw new UnknownMagicException(name, false, known);
        }
        try {
            return registry.evalLineMagic(kernel, name, args);
        } catch (UndefinedMagicException e) {
            throw new UnknownMagicException(name, false);
        }
    }

    @Override
    public Object cell(String name, List<String> args, String rawArgs, String body) throws Exception {
        MagicsRegistry registry = kernel.getMagicsRegistry();
        if (!registry.getCellMagicNames().contains(name)) {
            throw new UnknownMagicException(name, true, registry.getCellMagicNames());
        }
        try {
            return registry.evalCellMagic(kernel, name, args, body);
        } catch (UndefinedMagicException e) {
            throw new UnknownMagicException(name, true);
        }
    }
}
