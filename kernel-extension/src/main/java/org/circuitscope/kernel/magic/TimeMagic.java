package org.circuitscope.kernel.magic;

import java.util.List;
import java.util.Locale;
import org.circuitscope.kernel.KernelDisplays;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

/**
 * {@code %time <code>} and {@code %%time}: runs the code, prints the wall-clock time it took, and passes its value
 * on as the cell's value.
 */
public final class TimeMagic implements LineMagic<Object, BaseKernel>, CellMagic<Object, BaseKernel>, RawLineMagic {
    public static final String HELP = "%time <code> / %%time: run the code and print how long it took";

    @Override
    public Object evalRaw(BaseKernel kernel, String code) {
        return timed(kernel, code);
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args) {
        return KernelDisplays.magicResult(kernel, timed(kernel, String.join(" ", args)));
    }

    @Override
    public Object eval(BaseKernel kernel, List<String> args, String body) {
        return KernelDisplays.magicResult(kernel, timed(kernel, body));
    }

    private static Object timed(BaseKernel kernel, String code) {
        long start = System.nanoTime();
        try {
            return kernel.evalRaw(code);
        } finally {
            System.out.println("Wall time: " + format(System.nanoTime() - start));
            System.out.flush();
        }
    }

    static String format(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
}
