package org.circuitscope.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only fixtures beside the checkout (SqueezeNet, ImageNet samples, CIFAR-10). Found through the system
 * property or environment variable {@code circuitscope.shared} / {@code CIRCUITSCOPE_SHARED}, default
 * {@code ../shared}. Tests that need them skip with a visible message when they are absent, except under CI
 * ({@code CI=true}), where absence is a failure: CI must run them.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    public static Path root() {
        String p = System.getProperty("circuitscope.shared");
        if (p == null || p.isBlank()) {
            p = System.getenv("CIRCUITSCOPE_SHARED");
        }
        if (p == null || p.isBlank()) {
            p = "../shared";
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    /** The fixture at {@code relative}, or a skipped test (a failed one under CI) when it is absent. */
    public static Path require(String relative) {
        Path f = root().resolve(relative);
        if (!Files.exists(f)) {
            String msg = "SKIPPED: fixture " + f + " is absent (set -Dcircuitscope.shared=DIR or CIRCUITSCOPE_SHARED)";
            System.err.println(msg);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI must run the tests that need shared fixtures, but " + f + " is absent");
            }
            Assumptions.assumeTrue(false, msg);
        }
        return f;
    }

    public static Path squeezenet() {
        return require("models/squeezenet1.0/squeezenet1.0.onnx");
    }

    public static Path imagenetSamples() {
        return require("data/imagenet-samples");
    }
}
