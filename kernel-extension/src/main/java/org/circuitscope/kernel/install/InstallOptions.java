package org.circuitscope.kernel.install;

import java.nio.file.Path;

/** What {@code install} was asked for: where the kernelspec goes and what it is called. */
public record InstallOptions(Scope scope, Path prefix, String name, String displayName, boolean classDataArchive) {
    public static final String DEFAULT_NAME = "circuitscope";
    public static final String DEFAULT_DISPLAY_NAME = "Java (circuitscope)";

    public enum Scope { USER, SYS_PREFIX, PREFIX }

    public static InstallOptions parse(String... args) {
        Scope scope = Scope.USER;
        Path prefix = null;
        String name = DEFAULT_NAME;
        String displayName = DEFAULT_DISPLAY_NAME;
        boolean classDataArchive = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--user" -> scope = Scope.USER;
                case "--sys-prefix" -> scope = Scope.SYS_PREFIX;
                case "--prefix" -> {
                    scope = Scope.PREFIX;
                    prefix = Path.of(value(args, ++i, a));
                }
                case "--name" -> name = value(args, ++i, a);
                case "--no-cds" -> classDataArchive = false;
                case "--display-name" -> displayName = value(args, ++i, a);
                default -> {
                    if (a.startsWith("--prefix=")) {
                        scope = Scope.PREFIX;
                        prefix = Path.of(a.substring("--prefix=".length()));
                    } else if (a.startsWith("--name=")) {
                        name = a.substring("--name=".length());
                    } else if (a.startsWith("--display-name=")) {
                        displayName = a.substring("--display-name=".length());
                    } else {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("kernel name '" + name + "' may only hold letters, digits, . _ and -");
        }
        return new InstallOptions(scope, prefix, name, displayName, classDataArchive);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
