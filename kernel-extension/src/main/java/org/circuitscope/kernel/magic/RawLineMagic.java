package org.circuitscope.kernel.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** A line magic that wants its argument text as typed (e.g. Java code), not split into words. */
public interface RawLineMagic {
    Object evalRaw(BaseKernel kernel, String rawArgs) throws Exception;
}
