package org.circuitscope.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.circuitscope.kernel.install.KernelSpecInstaller;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * {@code java -jar circuitscope-kernel.jar <connection-file>} runs the kernel (Jupyter does this);
 * {@code java -jar circuitscope-kernel.jar install [options]} installs its kernelspec;
 * {@code java -jar circuitscope-kernel.jar train-organism [options]} retrains the embedded model organism.
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("install")) {
            System.exit(KernelSpecInstaller.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length >= 1 && args[0].equals("train-organism")) {
            try {
                org.circuitscope.organism.TrainOrganism.main(Arrays.copyOfRange(args, 1, args.length));
                System.exit(0);
            } catch (IllegalArgumentException e) {
                System.err.println("train-organism: " + e.getMessage() + " (--help lists the options)");
                System.exit(2);
            }
        }
        if (args.length == 1 && args[0].equals("warmup")) {
            CircuitscopeKernel kernel = CircuitscopeKernel.builder().build();
            KernelWarmup.run(kernel);
            System.exit(0);
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java -jar circuitscope-kernel.jar <connection-file>\n"
                    + "       java -jar circuitscope-kernel.jar install [--user|--sys-prefix|--prefix DIR] "
                    + "[--name NAME] [--display-name TEXT]\n"
                    + "       java -jar circuitscope-kernel.jar train-organism [--seed N] [--width W] [--steps S] "
                    + "[--out PATH] ...");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("no connection file " + connectionFile);
            System.exit(2);
        }
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(properties);
        CircuitscopeKernel kernel = CircuitscopeKernel.builder().build();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
