package org.circuitscope.kernel.magic;

import org.circuitscope.kernel.CellInterrupts;
import org.circuitscope.kernel.KernelDisplays;
import org.circuitscope.kernel.progress.NotebookProgress;
import org.circuitscope.magics.MagicContext;
import org.circuitscope.magics.Session;
import org.circuitscope.progress.Progress;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** What magics get from a running kernel: its variables, its display, its interrupt flag, the session. */
public final class KernelMagicContext implements MagicContext {
    private final KernelDisplays displays;
    private final Session session;
    private final VariableBinder variables;

    public KernelMagicContext(BaseKernel kernel, Session session, VariableBinder variables) {
        this.displays = new KernelDisplays(kernel);
        this.session = session;
        this.variables = variables;
    }

    @Override
    public void setVariable(String name, String javaType, Object value) throws Exception {
        variables.bind(name, javaType, value);
    }

    @Override
    public String display(Object value) {
        return displays.display(value);
    }

    @Override
    public void updateDisplay(String displayId, Object value) {
        displays.update(displayId, value);
    }

    @Override
    public boolean interrupted() {
        return CellInterrupts.requested();
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public Progress progress(String title) {
        return new NotebookProgress(title, displays, CellInterrupts::requested);
    }
}
