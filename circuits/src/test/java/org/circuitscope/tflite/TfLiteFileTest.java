package org.circuitscope.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.circuitscope.testing.SharedFixtures;
import org.circuitscope.tflite.FlatWriter.Scalar;
import org.circuitscope.tflite.FlatWriter.Scalars;
import org.circuitscope.tflite.FlatWriter.Table;
import org.junit.jupiter.api.Test;

/** The flatbuffer reader, the TFLite schema reading and dequantisation, on hand-built files and the real four. */
class TfLiteFileTest {

    @Test
    void flatTableReadsFieldsDefaultsVectorsStringsAndNestedTables() {
        Table inner = new Table().set(1, Scalar.i32(-7));
        Table root = new Table()
                .set(0, Scalar.i8(-3))
                .set(2, Scalar.i32(123456))
                .set(3, Scalar.i64(-9_000_000_000L))
                .set(4, Scalar.f32(0.25f))
                .set(5, "räsumé")
                .set(6, Scalars.ints(1, -2, 3))
                .set(7, Scalars.longs(5L, -6L))
                .set(8, Scalars.floats(1.5f, -2.5f))
                .set(9, inner)
                .set(10, List.of(new Table().set(0, "a"), new Table().set(0, "b")))
                .set(11, Scalars.bytes(new byte[] {9, 8, 7}));
        FlatTable t = FlatTable.root(ByteBuffer.wrap(FlatWriter.write(root, "TEST")));
        assertEquals("TEST", FlatTable.identifier(ByteBuffer.wrap(FlatWriter.write(root, "TEST"))));
        assertEquals(-3, t.getByte(0, (byte) 1));
        assertEquals(42, t.getInt(1, 42), "an absent field takes the default");
        assertFalse(t.has(1));
        assertEquals(123456, t.getInt(2, 0));
        assertEquals(-9_000_000_000L, t.getLong(3, 0));
        assertEquals(0.25f, t.getFloat(4, 0));
        assertEquals("räsumé", t.string(5));
        assertArrayEquals(new int[] {1, -2, 3}, t.ints(6));
        assertArrayEquals(new long[] {5, -6}, t.longs(7));
        assertArrayEquals(new float[] {1.5f, -2.5f}, t.floats(8));
        assertEquals(-7, t.table(9).getInt(1, 0));
        assertEquals(List.of("a", "b"), t.tables(10).stream().map(x -> x.string(0)).toList());
        ByteBuffer bytes = t.bytes(11);
        assertEquals(3, bytes.limit());
        assertEquals(8, bytes.get(1));
        assertEquals(77, t.getInt(40, 77), "a field id past the vtable's end is absent too");
        assertNull(t.table(12));
        assertEquals(0, t.ints(13).length);
    }

    @Test
    void truncatedAndForeignFilesAreRefusedWithWhereTheyBreak() {
        byte[] good = new TfLiteBuilder().inputs().build();
        TfLiteFormatException foreign = assertThrows(TfLiteFormatException.class,
                () -> TfLiteFile.read(ByteBuffer.wrap("PK\u0003\u0004 not a model at all".getBytes())));
        assertTrue(foreign.getMessage().contains("not a TensorFlow Lite file"), foreign.getMessage());
        byte[] cut = Arrays.copyOf(good, good.length / 2);
        TfLiteFormatException truncated = assertThrows(TfLiteFormatException.class,
                () -> TfLiteFile.read(ByteBuffer.wrap(cut)));
        assertTrue(truncated.getMessage().contains("past the end") || truncated.getMessage().contains("outside"),
                truncated.getMessage());
        assertThrows(TfLiteFormatException.class, () -> TfLiteFile.read(ByteBuffer.wrap(new byte[3])));
    }

    @Test
    void operatorCodesFromBothFieldsTensorsAndQuantisation() {
        for (boolean legacy : new boolean[] {false, true}) {
            TfLiteBuilder b = new TfLiteBuilder();
            if (legacy) {
                b.legacyCodes();
            }
            int x = b.activation("x", 1, 4, 4, 2);
            int w = b.tensor("w", TensorType.INT8, new int[] {2, 1, 1, 2}, new byte[] {1, 2, 3, 4},
                    TfLiteBuilder.quantization(new float[] {0.5f, 0.25f}, new long[] {0, 1}, 0));
            int y = b.activation("y", 1, 4, 4, 2);
            int z = b.activation("z", 1, 4, 4, 2);
            b.op(BuiltinOperator.CONV_2D, BuiltinOptions.CONV_2D, TfLiteBuilder.conv(0, 1, 1, 3, 1, 1),
                    new int[] {x, w, -1}, new int[] {y});
            if (!legacy) {
                b.op(150, 0, null, new int[] {y}, new int[] {z}); // GELU: a code only builtin_code can hold
            }
            TfLiteFile f = TfLiteFile.read(ByteBuffer.wrap(b.inputs(x).outputs(legacy ? y : z).build()));
            assertEquals(3, f.version());
            assertEquals("circuitscope test", f.description());
            assertEquals(legacy ? 1 : 2, f.operators().size());
            TfLiteOperator conv = f.operators().get(0);
            assertEquals(BuiltinOperator.CONV_2D, conv.code());
            assertArrayEquals(new int[] {x, w, -1}, conv.inputs());
            BuiltinOptions.Conv o = BuiltinOptions.conv(conv);
            assertEquals(BuiltinOptions.Activation.RELU6, o.activation());
            assertEquals(BuiltinOptions.Padding.SAME, o.padding());
            if (!legacy) {
                assertEquals(150, f.operators().get(1).code());
                assertEquals("GELU", f.operators().get(1).opName());
            }
            TfLiteTensor wt = f.tensor(w);
            assertTrue(wt.constant());
            assertFalse(f.tensor(x).constant());
            assertEquals("w", wt.name());
            assertArrayEquals(new int[] {2, 1, 1, 2}, wt.shape());
            assertTrue(wt.quantization().perChannel());
            assertArrayEquals(new float[] {0.5f, 1.0f, 0.5f, 0.75f}, Dequantization.floats(wt));
        }
    }

    @Test
    void optionsOfTheWrongUnionTypeAreRefused() {
        TfLiteBuilder b = new TfLiteBuilder();
        int x = b.activation("x", 1, 2, 2, 1);
        int y = b.activation("y", 1, 2, 2, 1);
        b.op(BuiltinOperator.CONV_2D, BuiltinOptions.POOL_2D, TfLiteBuilder.pool(0, 1, 1, 1, 1, 0),
                new int[] {x}, new int[] {y});
        TfLiteFile f = TfLiteFile.read(ByteBuffer.wrap(b.inputs(x).outputs(y).build()));
        TfLiteFormatException e = assertThrows(TfLiteFormatException.class,
                () -> BuiltinOptions.conv(f.operators().get(0)));
        assertTrue(e.getMessage().contains("operator 0 (CONV_2D)") && e.getMessage().contains("Conv2DOptions"),
                e.getMessage());
    }

    @Test
    void dequantisesPerTensorPerChannelHalfAndBias() {
        TfLiteBuilder b = new TfLiteBuilder();
        int u8 = b.tensor("u8", TensorType.UINT8, new int[] {4}, new byte[] {0, (byte) 128, (byte) 200,
                (byte) 255}, TfLiteBuilder.quantization(new float[] {0.5f}, new long[] {128}, 0));
        // [1, 1, 2, 3] int8 quantised along the last dimension (depthwise weights are quantised this way).
        int dw = b.tensor("dw", TensorType.INT8, new int[] {1, 1, 2, 3}, new byte[] {1, 1, 1, -2, -2, -2},
                TfLiteBuilder.quantization(new float[] {1f, 0.5f, 0.25f}, new long[] {0, 0, 0}, 3));
        ByteBuffer half = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001).putShort((short) 0x7c00);
        int f16 = b.tensor("f16", TensorType.FLOAT16, new int[] {4}, half.array(), null);
        int in = b.tensor("in", TensorType.INT8, new int[] {1, 1, 1, 2}, null,
                TfLiteBuilder.quantization(new float[] {0.1f}, new long[] {0}, 0));
        int w = b.tensor("w", TensorType.INT8, new int[] {2, 1, 1, 2}, new byte[4],
                TfLiteBuilder.quantization(new float[] {0.5f, 2f}, new long[] {0, 0}, 0));
        int bias = b.tensor("bias", TensorType.INT32, new int[] {2}, TfLiteBuilder.int32Bytes(10, -10), null);
        int shape = b.int32s("shape", new int[] {2}, -1, 1001);
        TfLiteFile f = TfLiteFile.read(ByteBuffer.wrap(b.inputs(in).outputs(in).build()));
        assertArrayEquals(new float[] {-64f, 0f, 36f, 63.5f}, Dequantization.floats(f.tensor(u8)));
        assertArrayEquals(new float[] {1f, 0.5f, 0.25f, -2f, -1f, -0.5f}, Dequantization.floats(f.tensor(dw)));
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY},
                Dequantization.floats(f.tensor(f16)));
        Quantization bq = Dequantization.biasQuantization(f.tensor(bias), f.tensor(in), f.tensor(w));
        assertArrayEquals(new float[] {0.1f * 0.5f, 0.1f * 2f}, bq.scale());
        float[] real = Dequantization.floats(f.tensor(bias), bq);
        assertEquals(0.5f, real[0], 1e-6);
        assertEquals(-2f, real[1], 1e-6);
        assertArrayEquals(new long[] {-1, 1001}, Dequantization.ints(f.tensor(shape)));
        TfLiteFormatException e = assertThrows(TfLiteFormatException.class,
                () -> Dequantization.floats(f.tensor(bias)));
        assertTrue(e.getMessage().contains("'bias'") && e.getMessage().contains("no quantisation scale"),
                e.getMessage());
    }

    /** The four real files parse, and every int32 bias's scale is input scale × weight scale (the rule we rely on). */
    @Test
    void theFourSharedModelsParseAndTheirBiasScalesFollowTheRule() throws IOException {
        Path dir = SharedFixtures.require("models/tflite");
        Map<String, int[]> expected = Map.of(
                "mobilenet_v1_0.25_128_quant.tflite", new int[] {31, 128},
                "mobilenet_v1_0.5_160_quant.tflite", new int[] {31, 160},
                "tf2_mobilenet_v2_1.0_224_ptq.tflite", new int[] {68, 224},
                "mobilenet_v2_1.0_224_inat_bird_quant.tflite", new int[] {65, 224});
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            TfLiteFile f = TfLiteFile.read(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(e.getKey()))));
            assertEquals(1, f.subgraphCount());
            assertEquals(e.getValue()[0], f.operators().size(), e.getKey());
            TfLiteTensor input = f.tensor(f.inputs()[0]);
            assertEquals(TensorType.UINT8, input.type());
            assertArrayEquals(new int[] {1, e.getValue()[1], e.getValue()[1], 3}, input.shape());
            int checked = 0;
            for (TfLiteOperator op : f.operators()) {
                if (op.code() != BuiltinOperator.CONV_2D && op.code() != BuiltinOperator.DEPTHWISE_CONV_2D) {
                    continue;
                }
                TfLiteTensor x = f.tensor(op.inputs()[0]);
                TfLiteTensor w = f.tensor(op.inputs()[1]);
                TfLiteTensor bias = f.tensor(op.inputs()[2]);
                assertEquals(TensorType.INT32, bias.type());
                float[] own = bias.quantization().scale();
                float[] rule = Dequantization.biasQuantization(
                        new TfLiteTensor(bias.index(), bias.name(), bias.shape(), bias.type(), Quantization.NONE,
                                bias.data()), x, w).scale();
                assertEquals(own.length, rule.length);
                for (int c = 0; c < own.length; c++) {
                    assertEquals(own[c], rule[c], 1e-5 * Math.abs(own[c]), e.getKey() + " operator " + op.index());
                }
                checked++;
            }
            assertTrue(checked > 25, e.getKey() + ": " + checked + " convolutions");
            ModelMetadata meta = ModelMetadata.read(f.metadata().get(ModelMetadata.KEY));
            assertEquals(e.getKey().contains("bird") ? "inat_bird_labels.txt" : "imagenet_labels.txt",
                    meta.labelsFile());
            assertArrayEquals(new float[] {127.5f}, meta.mean());
        }
    }
}
