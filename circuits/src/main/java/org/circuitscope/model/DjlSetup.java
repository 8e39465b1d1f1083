package org.circuitscope.model;

import ai.djl.engine.Engine;

/**
 * Makes sure DJL never goes online: no engine downloads and no usage tracking. Called before the first use of the
 * engine; the kernel and tests also set these, but a user's own program may not.
 */
public final class DjlSetup {
    private static volatile Engine engine;

    private DjlSetup() {
    }

    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlSetup.class) {
                if (engine == null) {
                    if (System.getProperty("ai.djl.offline") == null) {
                        System.setProperty("ai.djl.offline", "true");
                    }
                    if (System.getProperty("OPT_OUT_TRACKING") == null) {
                        System.setProperty("OPT_OUT_TRACKING", "true");
                    }
                    try {
                        engine = Engine.getEngine("PyTorch");
                    } catch (RuntimeException | UnsatisfiedLinkError err) {
                        throw new ModelException("the PyTorch engine could not start: " + err.getMessage()
                                + ". circuitscope needs ai.djl.pytorch:pytorch-native-cpu (classifier "
                                + "linux-x86_64) and pytorch-jni on the classpath", err);
                    }
                }
                e = engine;
            }
        }
        return e;
    }
}
