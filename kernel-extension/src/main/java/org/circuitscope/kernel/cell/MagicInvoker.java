package org.circuitscope.kernel.cell;

import java.util.List;

/** Runs a magic by name; throws {@link UnknownMagicException} for a name nobody registered. */
public interface MagicInvoker {

    Object line(String name, List<String> args, String rawArgs) throws Exception;

    Object cell(String name, List<String> args, String rawArgs, String body) throws Exception;
}
