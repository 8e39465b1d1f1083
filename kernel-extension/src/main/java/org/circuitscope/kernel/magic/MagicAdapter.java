package org.circuitscope.kernel.magic;

import java.util.List;
import org.circuitscope.kernel.KernelDisplays;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.MagicContext;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** One of our {@link Magic}s in jjava's magic registry, as a line magic and (when it has one) a cell magic. */
public final class MagicAdapter implements LineMagic<Object, BaseKernel>, CellMagic<Object, BaseKernel> {
    private final Magic magic;
    private final MagicContext context;

    public MagicAdapter(Magic magic, MagicContext context) {
        this.magic = magic;
        this.context = context;
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) throws Exception {
        return KernelDisplays.magicResult(kernel, magic.line(context, args));
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args, String body) throws Exception {
        return KernelDisplays.magicResult(kernel, magic.cell(context, args, body));
    }

    public Magic magic() {
        return magic;
    }
}
