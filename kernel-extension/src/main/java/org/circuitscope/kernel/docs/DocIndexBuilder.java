package org.circuitscope.kernel.docs;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Build step (run by Maven after compiling this module): reads the doc comments of every public type and member in
 * the engine, magics and kernel sources and writes the {@link DocIndex} that Shift-Tab shows. Parsing only, no
 * compilation: {@code java DocIndexBuilder OUTPUT SOURCE_DIR...}.
 */
public final class DocIndexBuilder {
    private DocIndexBuilder() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        List<Path> sources = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            try (Stream<Path> walk = Files.walk(Path.of(args[i]))) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(sources::add);
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> lines = new ArrayList<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) compiler.getTask(null, files, d -> { }, List.of("-proc:none"), null, units);
            DocTrees trees = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString() + ".";
                new Scanner(trees, pkg, lines).scan(unit, null);
            }
        }
        Files.createDirectories(out.getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println("DocIndexBuilder: " + lines.size() + " documented types and members from "
                + sources.size() + " sources -> " + out);
    }

    /** Walks one file: public types (nested ones as Outer.Inner) and their public methods, fields and records. */
    private static final class Scanner extends TreePathScanner<Void, Void> {
        private final DocTrees trees;
        private final List<String> lines;
        private String owner;

        Scanner(DocTrees trees, String pkg, List<String> lines) {
            this.trees = trees;
            this.lines = lines;
            this.owner = pkg.isEmpty() ? "" : pkg.substring(0, pkg.length() - 1);
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            if (!tree.getModifiers().getFlags().contains(Modifier.PUBLIC) && !isInterfaceMember()) {
                return null;
            }
            String outer = owner;
            owner = outer.isEmpty() ? tree.getSimpleName().toString() : outer + "." + tree.getSimpleName();
            add(owner, "", kind(tree) + " " + owner, getCurrentPath());
            try {
                return super.visitClass(tree, unused);
            } finally {
                owner = outer;
            }
        }

        private boolean isInterfaceMember() {
            TreePath parent = getCurrentPath().getParentPath();
            return parent != null && parent.getLeaf() instanceof ClassTree c
                    && c.getKind() == Tree.Kind.INTERFACE;
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
            if (isPublic(tree.getModifiers().getFlags())) {
                String name = tree.getName().contentEquals("<init>") ? "new" : tree.getName().toString();
                StringBuilder sig = new StringBuilder();
                if (tree.getReturnType() != null) {
                    sig.append(tree.getReturnType()).append(' ');
                }
                sig.append(name.equals("new") ? owner.substring(owner.lastIndexOf('.') + 1) : name).append('(');
                for (int i = 0; i < tree.getParameters().size(); i++) {
                    VariableTree p = tree.getParameters().get(i);
                    sig.append(i == 0 ? "" : ", ").append(p.getType()).append(' ').append(p.getName());
                }
                add(owner, name, sig.append(')').toString(), getCurrentPath());
            }
            return null;
        }

        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
            if (getCurrentPath().getParentPath().getLeaf() instanceof ClassTree
                    && isPublic(tree.getModifiers().getFlags())) {
                add(owner, tree.getName().toString(), tree.getType() + " " + tree.getName(), getCurrentPath());
            }
            return null;
        }

        private boolean isPublic(java.util.Set<Modifier> flags) {
            return flags.contains(Modifier.PUBLIC) || isInterfaceMember();
        }

        private void add(String type, String member, String signature, TreePath path) {
            String doc = trees.getDocComment(path);
            if (doc == null || doc.isBlank()) {
                return;
            }
            lines.add(DocIndex.line(type, member, signature, DocIndex.plain(doc)));
        }

        private static String kind(ClassTree tree) {
            return switch (tree.getKind()) {
                case INTERFACE -> "interface";
                case ENUM -> "enum";
                case ANNOTATION_TYPE -> "@interface";
                default -> tree.getKind().name().equals("RECORD") ? "record" : "class";
            };
        }
    }
}
