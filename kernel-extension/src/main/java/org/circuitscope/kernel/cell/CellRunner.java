package org.circuitscope.kernel.cell;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.circuitscope.kernel.jshell.CellException;
import org.circuitscope.kernel.jshell.CellInterruptedException;
import org.circuitscope.kernel.jshell.InterruptibleRunner;
import org.circuitscope.kernel.jshell.JShellEvaluator;

/**
 * Runs a cell: its Java parts through JShell and its magics through the {@link MagicInvoker}, in order. The cell's
 * value is the value of its last part. Magics run on a worker thread so an interrupt can end them too.
 */
public final class CellRunner {
    private final JShellEvaluator evaluator;
    private final MagicInvoker magics;
    private final InterruptibleRunner runner;
    private final Consumer<Object> show;

    /** @param show displays a value now (what an interrupted cell's partial result goes to) */
    public CellRunner(JShellEvaluator evaluator, MagicInvoker magics, InterruptibleRunner runner,
                      Consumer<Object> show) {
        this.evaluator = evaluator;
        this.magics = magics;
        this.runner = runner;
        this.show = show;
    }

    public Object run(String cell) {
        Object value = null;
        for (CellPart part : CellParser.parse(cell)) {
            if (runner.interruptRequested()) {
                throw new CellInterruptedException();
            }
            if (part instanceof CellPart.Java java) {
                value = evaluator.eval(java.source());
            } else if (part instanceof CellPart.LineMagic line) {
                value = runMagic("%" + line.name(), () -> magics.line(line.name(), line.args(), line.rawArgs()));
            } else if (part instanceof CellPart.CellMagic c) {
                value = runMagic("%%" + c.name(), () -> magics.cell(c.name(), c.args(), c.rawArgs(), c.body()));
            }
            if (runner.interruptRequested()) {
                // the part heard the interrupt and returned what it had (an engine result marked partial): show it,
                // and still end the cell as interrupted, so that the cells queued after it do not run
                if (value != null) {
                    show.accept(value);
                }
                throw new CellInterruptedException(value != null);
            }
        }
        return value;
    }

    private Object runMagic(String invocation, Callable<Object> call) {
        try {
            return runner.run("circuitscope-magic", InterruptibleRunner.MAGIC, call);
        } catch (CellException e) {
            // already explained: interrupts, unknown magics, errors of the Java that %time or %load ran
            throw e;
        } catch (Exception | Error e) {
            throw new MagicFailedException(invocation, e);
        }
    }
}
