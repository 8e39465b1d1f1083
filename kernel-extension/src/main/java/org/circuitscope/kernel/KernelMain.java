package org.circuitscope.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.circuitscope.kernel.install.KernelSpecInstaller;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * {@code java -cp circuitscope-kernel.jar:lib/* org.circuitscope.kernel.KernelMain <connection-file>} runs the kernel
 * (Jupyter does this, as the installed kernel.json says);
 * {@code java -jar circuitscope-kernel.jar install [options]} installs its kernelspec;
 * {@code java -jar circuitscope-kernel.jar train-organism [options]} retrains the embedded model organism;
 * {@code java -jar circuitscope-kernel.jar atlas --out DIR [options]} writes a model's static atlas.
 */
public final class KernelMain {
    private KernelMain() {
    }

    /**
     * The kernel needs JJava, which the jar's manifest does not name (so that a stock JJava kernel loading the jar as
     * an extension gets no second copy): the installed kernel.json passes it with -cp.
     */
    private static void requireKernelClasspath() {
        try {
            Class.forName("org.dflib.jjava.jupyter.kernel.BaseKernel", false, KernelMain.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            System.err.println("The kernel runs with its lib/ folder on the class path, as the installed kernel.json "
                    + "starts it: java -cp 'circuitscope-kernel.jar:lib/*' " + KernelMain.class.getName()
                    + " <connection-file>. Install it with: java -jar circuitscope-kernel.jar install");
            System.exit(2);
        }
    }

    public static void main(String[] args) throws Exception {
        LibraryLogging.configureKernel();
        if (args.length >= 1 && args[0].equals("install")) {
            System.exit(KernelSpecInstaller.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length >= 1 && args[0].equals("atlas")) {
            System.exit(AtlasCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length >= 1 && args[0].equals("dictionary")) {
            System.exit(DictionaryCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
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
            requireKernelClasspath();
            KernelWarmup.run(CircuitscopeKernel.builder().build());
            System.exit(0);
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java -jar circuitscope-kernel.jar install [--user|--sys-prefix|--prefix DIR] "
                    + "[--name NAME] [--display-name TEXT]\n"
                    + "       java -jar circuitscope-kernel.jar train-organism [--seed N] [--width W] [--steps S] "
                    + "[--out PATH] ...\n"
                    + "       " + AtlasCommand.USAGE + "\n"
                    + "       " + DictionaryCommand.USAGE + "\n"
                    + "       java -cp 'circuitscope-kernel.jar:lib/*' " + KernelMain.class.getName()
                    + " <connection-file>   (what the installed kernel.json runs)");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("no connection file " + connectionFile);
            System.exit(2);
        }
        requireKernelClasspath();
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
        JupyterConnection connection = new JupyterConnection(properties);
        CircuitscopeKernel kernel = CircuitscopeKernel.builder().build();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
