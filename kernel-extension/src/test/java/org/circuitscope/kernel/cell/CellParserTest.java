package org.circuitscope.kernel.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellParserTest {

    @Test
    void javaAndLineMagicsKeepTheirOrder() {
        List<CellPart> parts = CellParser.parse("int a = 1;\n%maven g:a:1 \"x y\"\nint b = a % 2;\n  %time b");
        assertEquals(4, parts.size());
        assertEquals("int a = 1;\n", ((CellPart.Java) parts.get(0)).source());
        CellPart.LineMagic maven = (CellPart.LineMagic) parts.get(1);
        assertEquals("maven", maven.name());
        assertEquals(List.of("g:a:1", "x y"), maven.args());
        assertEquals("int b = a % 2;\n", ((CellPart.Java) parts.get(2)).source());
        CellPart.LineMagic time = (CellPart.LineMagic) parts.get(3);
        assertEquals("time", time.name());
        assertEquals("b", time.rawArgs());
    }

    @Test
    void cellMagicTakesTheWholeBody() {
        List<CellPart> parts = CellParser.parse("\n%%time --x\nint a = 1;\n%jars y\n");
        assertEquals(1, parts.size());
        CellPart.CellMagic cell = assertInstanceOf(CellPart.CellMagic.class, parts.get(0));
        assertEquals("time", cell.name());
        assertEquals(List.of("--x"), cell.args());
        assertEquals("int a = 1;\n%jars y\n", cell.body());
    }

    @Test
    void moduloInsideALineIsJava() {
        List<CellPart> parts = CellParser.parse("int r = 7 % 3;");
        assertEquals(List.of(new CellPart.Java("int r = 7 % 3;\n")), parts);
    }

    @Test
    void javaOnlyBlanksMagicLinesButKeepsPositions() {
        String cell = "%jars a.jar\nMath.ab";
        String java = CellParser.javaOnly(cell);
        assertEquals(cell.length(), java.length());
        assertEquals("           \nMath.ab", java);
    }

    @Test
    void argumentsSplitOnBlanksAndKeepQuotedPartsWhole() {
        assertEquals(List.of("a", "b c", "d'e", "f"), ArgSplitter.split(" a \"b c\"  \"d'e\" 'f' "));
        assertEquals(List.of("say \"hi\""), ArgSplitter.split("\"say \\\"hi\\\"\""));
        assertEquals(List.of(), ArgSplitter.split("   "));
    }
}
