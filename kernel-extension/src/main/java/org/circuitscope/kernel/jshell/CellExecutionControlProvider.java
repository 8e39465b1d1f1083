package org.circuitscope.kernel.jshell;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell the one {@link CellExecutionControl} of a kernel. */
final class CellExecutionControlProvider implements ExecutionControlProvider {
    private final InterruptibleRunner runner;
    private CellExecutionControl control;

    CellExecutionControlProvider(InterruptibleRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return "circuitscope";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        control = new CellExecutionControl(runner);
        return control;
    }

    CellExecutionControl control() {
        return control;
    }
}
