package org.circuitscope.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** {@code .pt} files made to hurt, for the tests that check they are refused and that nothing of them runs. */
public final class HostileTorchFiles {
    private HostileTorchFiles() {
    }

    /** A pickle whose __reduce__ runs {@code touch marker} when Python unpickles it: posix.system('touch ...'). */
    public static byte[] codeRunningPickle(Path marker) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});
        p.writeBytes("cposix\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + marker).getBytes(StandardCharsets.US_ASCII);
        p.write('X');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(cmd.length).array());
        p.writeBytes(cmd);
        p.writeBytes(new byte[] {(byte) 0x85, 'R', '.'}); // TUPLE1, REDUCE: call system(cmd)
        return p.toByteArray();
    }

    /** A zip of the given entries, deflated. */
    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        }
        return out.toByteArray();
    }

    /** What torch.save writes for a state dict: a zip with data.pkl and no TorchScript code. */
    public static byte[] torchSaveArchive() throws IOException {
        return zip(Map.of("archive/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'}, "archive/version",
                new byte[] {'3'}));
    }

    /** A TorchScript-shaped zip whose m/data/0 holds {@code megabytes} MB of zeros: about 1000-fold inflation. */
    public static byte[] zipBomb(int megabytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("m/data.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2, '}', '.'});
            zip.putNextEntry(new ZipEntry("m/code/__torch__.py"));
            zip.write('x');
            zip.putNextEntry(new ZipEntry("m/data/0"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                zip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    /** A copy of a zip archive with the entries whose names end in {@code suffix} replaced by {@code content}. */
    public static byte[] replaceEntry(byte[] archive, String suffix, byte[] content) throws IOException {
        Path tmp = Files.createTempFile("archive", ".zip");
        try {
            Files.write(tmp, archive);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (ZipFile z = new ZipFile(tmp.toFile())) {
                for (var en = z.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    entries.put(e.getName(), e.getName().endsWith(suffix) ? content : z.getInputStream(e).readAllBytes());
                }
            }
            return zip(entries);
        } finally {
            Files.delete(tmp);
        }
    }
}
