package org.circuitscope.kernel.jshell;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Adds {@link CellCheckpoint#check()} calls to a snippet class: at the start of every method and before every jump
 * back to an earlier instruction (a loop's back edge). The call takes and leaves nothing on the stack, so the
 * class's stack map frames stay valid as they are.
 */
final class CheckpointWeaver {
    private static final String OWNER = CellCheckpoint.class.getName().replace('.', '/');

    private CheckpointWeaver() {
    }

    /** The woven class, or the class unchanged when ASM cannot read it (a class file newer than it knows). */
    static byte[] weave(byte[] classFile) {
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (IllegalArgumentException newerThanAsm) {
            return classFile;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new Checkpoints(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class Checkpoints extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        Checkpoints(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            super.visitLabel(label);
            seen.add(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                check();
            }
            super.visitJumpInsn(opcode, label);
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "check", "()V", false);
        }
    }
}
