package org.circuitscope.kernel.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.circuitscope.magics.MagicException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/** {@code %load <file>}: runs a Java (or JShell script) file as if its text were the cell. */
public final class LoadMagic implements LineMagic<Object, BaseKernel> {
    public static final String HELP = "%load <file>: run the Java code in a file as if it were typed in the cell";

    @Override
    public Object eval(BaseKernel kernel, List<String> args) throws Exception {
        if (args.size() != 1) {
            throw new MagicException("%load takes one file, e.g. %load helpers.jsh");
        }
        Path file = Path.of(args.get(0)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new MagicException("%load: no file " + file);
        }
        return kernel.evalRaw(Files.readString(file));
    }
}
