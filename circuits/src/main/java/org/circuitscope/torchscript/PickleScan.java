package org.circuitscope.torchscript;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.ModelException;

/**
 * Walks a pickle's opcodes without running any of them and refuses it when it names a callable outside the set
 * TorchScript's writer uses. A pickle calls code only through the names it imports (GLOBAL, STACK_GLOBAL, INST,
 * the extension registry); checking every name is enough to know that loading it imports nothing else. The walk
 * understands protocols 0 to 5; an opcode it does not know, or a STACK_GLOBAL whose names it cannot see, is
 * refused rather than guessed at.
 */
final class PickleScan {
    /** Names TorchScript archives import, by module; "*" allows every name of the module. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "collections", Set.of("OrderedDict"),
            "builtins", Set.of("set"),
            "torch._utils", Set.of("*"),
            "torch.jit._pickle", Set.of("*"),
            "torch._tensor", Set.of("_rebuild_from_type_v2"),
            "torch", Set.of("device", "Size", "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage",
                    "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
                    "QInt8Storage", "QUInt8Storage", "QInt32Storage", "ComplexFloatStorage",
                    "ComplexDoubleStorage"));

    private PickleScan() {
    }

    static boolean allowed(String module, String name) {
        if (module.equals("__torch__") || module.startsWith("__torch__.")) {
            return true; // the module's own TorchScript classes, defined by its code/ folder
        }
        Set<String> names = ALLOWED.get(module);
        return names != null && (names.contains("*") || names.contains(name));
    }

    /** Throws a ModelException naming the first callable outside the allowed set; {@code what} names the pickle. */
    static void check(byte[] p, String what) {
        // The last values pushed that were strings (or memo references to strings), for STACK_GLOBAL.
        List<String> recent = new ArrayList<>();
        Map<Long, String> memo = new HashMap<>();
        int i = 0;
        while (i < p.length) {
            int op = p[i++] & 0xff;
            String pushed = null;
            boolean keepsRecent = false;
            switch (op) {
                case '.' -> {
                    return;
                }
                // no argument
                case '(', '0', '1', '2', 'N', 'R', 'a', 'b', 'd', '}', 'e', 'l', ']', 'o', 's', 'u', 't', ')',
                     'Q', 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x97, 0x98 -> {
                }
                case 0x94 -> { // MEMOIZE: stores the top of the stack
                    memo.put((long) memo.size(), top(recent));
                    keepsRecent = true;
                }
                case 0x93 -> { // STACK_GLOBAL
                    if (recent.size() < 2) {
                        throw refuse(what, "imports a name that circuitscope cannot read off the pickle "
                                + "(STACK_GLOBAL at byte " + (i - 1) + ")");
                    }
                    checkName(recent.get(recent.size() - 2), recent.get(recent.size() - 1), what);
                }
                case 'c', 'i' -> { // GLOBAL, INST: module\nname\n
                    int a = line(p, i, what);
                    int b = line(p, a + 1, what);
                    checkName(PickleScan.text(p, i, a), PickleScan.text(p, a + 1, b), what);
                    i = b + 1;
                }
                case 'I', 'L', 'F', 'P' -> i = line(p, i, what) + 1;
                case 'S', 'V' -> {
                    int a = line(p, i, what);
                    pushed = unquote(PickleScan.text(p, i, a));
                    i = a + 1;
                }
                case 'g' -> { // GET n\n
                    int a = line(p, i, what);
                    pushed = memo.get(number(PickleScan.text(p, i, a), what));
                    i = a + 1;
                }
                case 'p' -> { // PUT n\n
                    int a = line(p, i, what);
                    memo.put(number(PickleScan.text(p, i, a), what), top(recent));
                    keepsRecent = true;
                    i = a + 1;
                }
                case 'h' -> {
                    pushed = memo.get((long) u8(p, i, what));
                    i += 1;
                }
                case 'j' -> {
                    pushed = memo.get(u32(p, i, what));
                    i += 4;
                }
                case 'q' -> {
                    memo.put((long) u8(p, i, what), top(recent));
                    keepsRecent = true;
                    i += 1;
                }
                case 'r' -> {
                    memo.put(u32(p, i, what), top(recent));
                    keepsRecent = true;
                    i += 4;
                }
                case 'K', 0x80 -> i += 1;
                case 'M' -> i += 2;
                case 'J' -> i += 4;
                case 'G', 0x95 -> i += 8; // BINFLOAT, FRAME
                case 0x82, 0x83, 0x84 -> throw refuse(what, "imports through the extension registry (EXT"
                        + (op == 0x82 ? 1 : op == 0x83 ? 2 : 4) + "), which names code by number");
                case 0x8c -> { // SHORT_BINUNICODE
                    int n = u8(p, i, what);
                    pushed = PickleScan.text(p, i + 1, end(p, i + 1, n, what));
                    i += 1 + n;
                }
                case 'X' -> {
                    long n = u32(p, i, what);
                    pushed = PickleScan.text(p, i + 4, end(p, i + 4, n, what));
                    i += 4 + (int) n;
                }
                case 0x8d -> {
                    long n = u64(p, i, what);
                    pushed = PickleScan.text(p, i + 8, end(p, i + 8, n, what));
                    i += 8 + (int) n;
                }
                case 'U', 'C', 0x8a -> { // SHORT_BINSTRING, SHORT_BINBYTES, LONG1: one-byte length
                    int n = u8(p, i, what);
                    String s = PickleScan.text(p, i + 1, end(p, i + 1, n, what));
                    pushed = op == 'U' ? s : null;
                    i += 1 + n;
                }
                case 'T', 'B', 0x8b -> { // BINSTRING, BINBYTES, LONG4: four-byte length
                    long n = u32(p, i, what);
                    String s = PickleScan.text(p, i + 4, end(p, i + 4, n, what));
                    pushed = op == 'T' ? s : null;
                    i += 4 + (int) n;
                }
                case 0x8e, 0x96 -> { // BINBYTES8, BYTEARRAY8
                    long n = u64(p, i, what);
                    end(p, i + 8, n, what);
                    i += 8 + (int) n;
                }
                default -> throw refuse(what, "has opcode 0x" + Integer.toHexString(op) + " at byte " + (i - 1)
                        + ", which is not a pickle opcode: the file is damaged or not a pickle");
            }
            if (pushed != null) {
                recent.add(pushed);
                if (recent.size() > 2) {
                    recent.remove(0);
                }
            } else if (!keepsRecent) {
                recent.clear();
            }
        }
        throw refuse(what, "ends without a STOP opcode: the pickle is truncated");
    }

    /** The string on top of the stack, or null when the top is not a known string. */
    private static String top(List<String> recent) {
        return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }

    private static void checkName(String module, String name, String what) {
        if (!allowed(module, name)) {
            throw refuse(what, "would call " + module + "." + name + " when unpickled; circuitscope loads only "
                    + "TorchScript archives, whose pickles name tensor rebuilders, storages and the module's own "
                    + "__torch__ classes. Nothing of the file was run");
        }
    }

    private static ModelException refuse(String what, String why) {
        return new ModelException(what + " " + why);
    }

    private static String text(byte[] p, int from, int to) {
        return TorchScriptArchive.ascii(p, from, to);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** The index of the newline ending the text argument that starts at {@code from}. */
    private static int line(byte[] p, int from, String what) {
        for (int k = from; k < p.length; k++) {
            if (p[k] == '\n') {
                return k;
            }
        }
        throw refuse(what, "is truncated inside a text argument at byte " + from);
    }

    private static int end(byte[] p, int from, long n, String what) {
        if (n < 0 || n > p.length - from) {
            throw refuse(what, "declares a " + n + "-byte argument at byte " + from + ", past its end");
        }
        return from + (int) n;
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw refuse(what, "has a memo index '" + s + "' that is not a number");
        }
    }

    private static int u8(byte[] p, int i, String what) {
        end(p, i, 1, what);
        return p[i] & 0xff;
    }

    private static long u32(byte[] p, int i, String what) {
        end(p, i, 4, what);
        return (p[i] & 0xffL) | (p[i + 1] & 0xffL) << 8 | (p[i + 2] & 0xffL) << 16 | (p[i + 3] & 0xffL) << 24;
    }

    private static long u64(byte[] p, int i, String what) {
        end(p, i, 8, what);
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | (p[i + k] & 0xffL);
        }
        return v;
    }
}
