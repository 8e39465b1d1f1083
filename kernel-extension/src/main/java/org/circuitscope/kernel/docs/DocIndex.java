package org.circuitscope.kernel.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The doc comments of circuitscope's public API (engine, magics, notebook helpers), shipped in the kernel jar as
 * {@value #RESOURCE} by {@link DocIndexBuilder}: JShell finds Javadoc only in the JDK's own src.zip, so without it
 * Shift-Tab on {@code Models.load} would show a bare signature. One line per documented type or member:
 * {@code type TAB member TAB signature TAB text}, with the member empty for the type itself.
 */
public final class DocIndex {
    public static final String RESOURCE = "/org/circuitscope/kernel/docs/javadoc.tsv";

    /** One documented element. */
    public record Entry(String type, String member, String signature, String text) {
    }

    private final Map<String, List<Entry>> byKey = new HashMap<>();
    private final Map<String, List<String>> typesBySimpleName = new HashMap<>();

    private static volatile DocIndex shipped;

    DocIndex(List<String> lines) {
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                continue;
            }
            Entry e = new Entry(f[0], f[1], unescape(f[2]), unescape(f[3]));
            byKey.computeIfAbsent(key(e.type(), e.member()), k -> new ArrayList<>()).add(e);
            if (e.member().isEmpty()) {
                typesBySimpleName.computeIfAbsent(e.type().substring(e.type().lastIndexOf('.') + 1),
                        k -> new ArrayList<>()).add(e.type());
            }
        }
    }

    /** The index in the kernel jar (empty when the jar was built without it). */
    public static DocIndex shipped() {
        DocIndex index = shipped;
        if (index == null) {
            List<String> lines = new ArrayList<>();
            try (InputStream in = DocIndex.class.getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().forEach(lines::add);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            index = new DocIndex(lines);
            shipped = index;
        }
        return index;
    }

    /** The type's own documentation, or an empty list. */
    public List<Entry> type(String qualifiedName) {
        return byKey.getOrDefault(key(qualifiedName, ""), List.of());
    }

    /** Each documented overload of a member ("new" for constructors). */
    public List<Entry> member(String qualifiedType, String member) {
        return byKey.getOrDefault(key(qualifiedType, member), List.of());
    }

    /** The qualified name of a documented type, from its simple name or a name already qualified; or null. */
    public String resolveType(String name) {
        String n = name.replaceAll("<.*>", "").replace("[]", "").strip();
        if (byKey.containsKey(key(n, ""))) {
            return n;
        }
        List<String> candidates = typesBySimpleName.getOrDefault(n.substring(n.lastIndexOf('.') + 1), List.of());
        return candidates.size() == 1 ? candidates.get(0) : null;
    }

    private static final Pattern METHOD = Pattern.compile("([\\w.$]+)\\.([\\w$]+)\\(([^()]*)\\)$");
    private static final Pattern VARIABLE = Pattern.compile("^([\\w$]+):(.+)$");

    /**
     * Our documentation for what JShell describes by {@code signature} ("org.circuitscope.model.Models",
     * "Model Models.load(String nameOrPath)", "model:org.circuitscope.model.Model"), or null when it is not ours.
     */
    public String describe(String signature) {
        String sig = signature.strip();
        Matcher method = METHOD.matcher(sig);
        if (method.find()) {
            String type = resolveType(method.group(1));
            if (type == null) {
                return null;
            }
            List<Entry> overloads = member(type, method.group(2));
            int params = method.group(3).isBlank() ? 0 : method.group(3).split(",").length;
            for (Entry e : overloads) {
                String own = e.signature().substring(e.signature().indexOf('(') + 1, e.signature().length() - 1);
                if ((own.isBlank() ? 0 : own.split(",").length) == params) {
                    return e.text();
                }
            }
            return overloads.isEmpty() ? null : overloads.get(0).text();
        }
        Matcher variable = VARIABLE.matcher(sig);
        String typeName = variable.matches() ? variable.group(2) : sig;
        String type = resolveType(typeName);
        if (type == null) {
            return null;
        }
        List<Entry> doc = type(type);
        return doc.isEmpty() ? null : doc.get(0).signature() + ": " + doc.get(0).text();
    }

    private static String key(String type, String member) {
        return type + "#" + member;
    }

    static String line(String type, String member, String signature, String text) {
        return type + "\t" + member + "\t" + escape(signature) + "\t" + escape(text);
    }

    /** A doc comment as plain text: inline tags reduced to their text, HTML tags dropped, paragraphs kept. */
    static String plain(String comment) {
        // code may hold angle brackets (List<String>, models/<name>): keep them from the HTML tag removal below
        Matcher code = Pattern.compile("\\{@(?:code|literal)\\s+([^{}]*(?:\\{[^{}]*\\}[^{}]*)*)\\}")
                .matcher(comment);
        StringBuilder kept = new StringBuilder();
        while (code.find()) {
            code.appendReplacement(kept, Matcher.quoteReplacement(
                    code.group(1).replace("<", "\u0001").replace(">", "\u0002")));
        }
        code.appendTail(kept);
        String text = kept.toString()
                .replaceAll("\\{@(?:link|linkplain)\\s+([^}]*)\\}", "$1")
                .replaceAll("\\{@value\\s+([^}]*)\\}", "$1")
                .replaceAll("(?i)<p>|<br\\s*/?>", "\n\n")
                .replaceAll("(?i)<li>", "\n- ")
                .replaceAll("<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                .replace('\u0001', '<').replace('\u0002', '>');
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String p = paragraph.strip().replaceAll("[ \\t]*\\n[ \\t]*(?!- |@)", " ").replaceAll("[ \\t]+", " ");
            if (!p.isEmpty()) {
                out.append(out.length() == 0 ? "" : "\n\n").append(p);
            }
        }
        return out.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
