package org.circuitscope.kernel.jshell;

import java.lang.reflect.Method;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs snippets inside the kernel's own JVM (so cells share the kernel's classes and statics, such as the notebook
 * kernel behind {@code display}) on a worker thread that an interrupt can stop, and keeps the raw value of the last
 * snippet: JShell itself only passes values on as strings.
 */
final class CellExecutionControl extends DirectExecutionControl {
    private final InterruptibleRunner runner;
    private volatile Object lastValue;
    private volatile boolean stopped;

    CellExecutionControl(InterruptibleRunner runner) {
        super();
        this.runner = runner;
        // DirectExecutionControl's loader delegate made its class loader the current thread's context loader
        runner.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        lastValue = null;
        Object value;
        try {
            value = runner.run("circuitscope-cell", () -> doitMethod.invoke(null));
        } catch (CellInterruptedException e) {
            stopped = true;
            throw new StoppedException();
        }
        lastValue = value;
        return valueString(value);
    }

    /** The value the last snippet returned (null for statements and declarations), and forgets it. */
    Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    /** Whether the last snippet was stopped by an interrupt (JShell reports a stopped snippet as no event at all). */
    boolean takeStopped() {
        boolean s = stopped;
        stopped = false;
        return s;
    }

    /** Loads snippet classes woven with interrupt checkpoints (see {@link CellCheckpoint}). */
    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        super.load(woven(cbcs));
    }

    private static ClassBytecodes[] woven(ClassBytecodes[] cbcs) {
        ClassBytecodes[] out = new ClassBytecodes[cbcs.length];
        for (int i = 0; i < cbcs.length; i++) {
            out[i] = new ClassBytecodes(cbcs[i].name(), CheckpointWeaver.weave(cbcs[i].bytecodes()));
        }
        return out;
    }

    /**
     * Redefines snippet classes in place when the agent is there and the JVM allows it (method bodies changed), so
     * that variables keep their values; otherwise JShell replaces the classes (and resets those variables).
     */
    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        if (!ClassRedefinition.available()) {
            throw new NotImplementedException("class redefinition needs the kernel's agent (-javaagent)");
        }
        Class<?>[] classes = new Class<?>[cbcs.length];
        byte[][] bytes = new byte[cbcs.length][];
        for (int i = 0; i < cbcs.length; i++) {
            try {
                classes[i] = findClass(cbcs[i].name());
            } catch (ClassNotFoundException e) {
                throw new NotImplementedException("no loaded class " + cbcs[i].name() + " to redefine");
            }
            bytes[i] = CheckpointWeaver.weave(cbcs[i].bytecodes());
        }
        if (!ClassRedefinition.redefine(classes, bytes)) {
            throw new NotImplementedException("the JVM cannot redefine these classes in place");
        }
    }

    @Override
    public void stop() {
        runner.interrupt();
    }
}
