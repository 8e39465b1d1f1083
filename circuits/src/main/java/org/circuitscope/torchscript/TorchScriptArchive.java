package org.circuitscope.torchscript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.circuitscope.model.Limits;
import org.circuitscope.model.ModelException;

/**
 * What a {@code .pt} file is checked for before libtorch opens it: a TorchScript archive is a zip file with a
 * {@code code/} folder, a {@code data.pkl} and tensor records. The check reads only the zip's directory and its
 * small pickles, so it costs milliseconds, and it refuses:
 * <ul>
 *   <li>a bare pickle ({@code torch.save} of a Python object), which circuitscope never unpickles: in Python,
 *   unpickling can run any code the file names;</li>
 *   <li>a {@code torch.save} zip archive (a state dict or a pickled module): it holds no TorchScript code;</li>
 *   <li>archives whose declared sizes exceed {@link Limits} or whose entries inflate far beyond their stored size
 *   (zip bombs), with too many entries, or whose entries inflate beyond what they declare;</li>
 *   <li>pickles that name Python callables outside the small set TorchScript's own writer uses (tensor rebuilders,
 *   storages, {@code collections.OrderedDict}, the module's {@code __torch__} classes).</li>
 * </ul>
 */
final class TorchScriptArchive {
    /** More entries than this is no model a person exported. */
    static final int MAX_ENTRIES = 100_000;
    /** How much a deflated entry may grow; TorchScript's code and debug pickles compress about 2 to 5 times. */
    static final int MAX_INFLATION = 200;

    private TorchScriptArchive() {
    }

    static void check(Path file) {
        String name = file.getFileName().toString();
        byte[] head = head(file, 16);
        if (head.length == 0) {
            throw new ModelException(name + " is empty (0 bytes), not a TorchScript module");
        }
        if ((head[0] & 0xff) == 0x80 && head.length > 1 && head[1] >= 2 && head[1] <= 5) {
            throw new ModelException(name + " is a pickled Python object (what torch.save writes), not a TorchScript "
                    + "module; circuitscope never unpickles files, because unpickling can run any code the file "
                    + "names. Export the model with torch.jit.script(model).save(path) or torch.jit.trace");
        }
        if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            throw new ModelException(name + " is not a TorchScript module: TorchScript files are zip archives, and "
                    + "this one does not start like a zip file. Is it truncated, or another format?");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            checkEntries(zip, name);
        } catch (ZipException e) {
            throw new ModelException(name + " is not a readable zip archive (" + e.getMessage() + "): the file is "
                    + "damaged or truncated", e);
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkEntries(ZipFile zip, String name) throws IOException {
        if (zip.size() > MAX_ENTRIES) {
            throw new ModelException(name + " holds " + zip.size() + " entries, more than a model has (at most "
                    + MAX_ENTRIES + ")");
        }
        long total = 0;
        boolean code = false;
        boolean data = false;
        long tensorMax = Limits.maxTensorBytes();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            long size = e.getSize();
            long stored = e.getCompressedSize();
            if (size < 0 || stored < 0) {
                throw new ModelException(name + ": entry " + e.getName() + " does not declare its size");
            }
            if (size > tensorMax) {
                throw new ModelException(name + ": entry " + e.getName() + " declares " + Limits.human(size)
                        + ", more than circuitscope reads into one tensor (" + Limits.human(tensorMax) + ")");
            }
            if (e.getMethod() == ZipEntry.DEFLATED && size > 1 << 16 && size / Math.max(1, stored) > MAX_INFLATION) {
                throw new ModelException(name + ": entry " + e.getName() + " inflates from " + Limits.human(stored)
                        + " to " + Limits.human(size) + "; an archive that grows that much is a zip bomb, not a "
                        + "model");
            }
            total += size;
            if (total > Limits.maxModelBytes()) {
                throw new ModelException(name + " declares " + Limits.human(total) + " of contents, more than "
                        + "circuitscope loads (" + Limits.human(Limits.maxModelBytes()) + ")");
            }
            String n = e.getName();
            code |= n.contains("/code/") || n.startsWith("code/");
            data |= n.endsWith("/data.pkl") || n.equals("data.pkl");
        }
        if (!data) {
            throw new ModelException(name + " is a zip archive but not a TorchScript module: it has no data.pkl");
        }
        if (!code) {
            throw new ModelException(name + " holds pickled Python objects (a torch.save archive such as a state "
                    + "dict), not a TorchScript module: it has no code/ folder. Export the model with "
                    + "torch.jit.script(model).save(path) or torch.jit.trace");
        }
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            if (e.getName().toLowerCase(Locale.ROOT).endsWith("pkl")) {
                PickleScan.check(read(zip, e, name), name + ": " + e.getName());
            }
        }
    }

    /** An entry's bytes, refusing entries that inflate to more than they declare. */
    private static byte[] read(ZipFile zip, ZipEntry e, String name) throws IOException {
        long size = e.getSize();
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, size + 1));
            if (b.length > size) {
                throw new ModelException(name + ": entry " + e.getName() + " inflates to more than the " + size
                        + " bytes it declares: the archive is damaged or crafted");
            }
            return b;
        } catch (ZipException ex) {
            throw new ModelException(name + ": entry " + e.getName() + " cannot be read (" + ex.getMessage()
                    + "): the archive is damaged", ex);
        }
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Latin-1 view of pickle text arguments (module and attribute names are ASCII). */
    static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
