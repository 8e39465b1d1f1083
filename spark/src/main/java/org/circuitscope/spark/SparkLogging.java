package org.circuitscope.spark;

import java.net.URISyntaxException;
import java.net.URL;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.DefaultConfiguration;

/**
 * Spark's driver logs at WARN unless the application configures log4j2 itself. Without a configuration Spark loads
 * its own defaults, which log every stage and task at INFO: about 150 lines on the console for a two-unit atlas on
 * {@code local[2]}, burying the atlas's progress. A {@code log4j2.configurationFile} property or a log4j2
 * configuration file on the class path is left alone; so is an application whose slf4j binding is not log4j2 (the
 * kernel's), which Spark then logs through.
 */
final class SparkLogging {
    private SparkLogging() {
    }

    /** log4j2's own configuration file names, which it finds on the class path by itself. */
    private static final List<String> OWN = List.of("log4j2-test.properties", "log4j2-test.xml", "log4j2-test.yaml",
            "log4j2-test.yml", "log4j2-test.json", "log4j2.properties", "log4j2.xml", "log4j2.yaml", "log4j2.yml",
            "log4j2.json", "log4j2.jsn");

    private static boolean done;

    /** Before the first context: warnings only, when nobody configured log4j2. */
    static synchronized void quiet() {
        if (done) {
            return;
        }
        done = true;
        if (System.getProperty("log4j2.configurationFile") != null) {
            return;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : SparkLogging.class.getClassLoader();
        for (String name : OWN) {
            if (loader.getResource(name) != null) {
                return;
            }
        }
        URL ours = SparkLogging.class.getResource("log4j2-warnings.properties");
        if (ours == null) {
            return;
        }
        System.setProperty("log4j2.configurationFile", ours.toString());
        // log4j2 may have started already (with no file: its default configuration), before the property was set;
        // Spark reads the context of its own class loader, which is this class's
        if (LogManager.getContext(SparkLogging.class.getClassLoader(), false) instanceof LoggerContext ctx
                && ctx.getConfiguration() instanceof DefaultConfiguration) {
            try {
                ctx.setConfigLocation(ours.toURI());
            } catch (URISyntaxException e) {
                // the resource's URL is the jar's own; nothing to do if it is not a URI
            }
        }
    }
}
