package org.circuitscope.kernel.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.TableHtml;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class RenderersTest {
    private final Renderer renderer = new Renderer();

    RenderersTest() {
        Renderers.registerAll(renderer);
    }

    private static BufferedImage decode(Object base64) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)));
    }

    @Test
    void bufferedImageBecomesAPngOfTheSamePixels() throws Exception {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(2, 1, Color.RED.getRGB());
        DisplayData data = renderer.render(image);
        BufferedImage back = decode(data.getData(MIMEType.IMAGE_PNG));
        assertEquals(3, back.getWidth());
        assertEquals(Color.RED.getRGB(), back.getRGB(2, 1));
    }

    @Test
    void shortTableShowsAllRowsWithNamesAndTypes() {
        Table t = Table.create("fires", StringColumn.create("module", "fire2", "fire3"),
                IntColumn.create("channels", 128, 256));
        String html = (String) renderer.render(t).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("module") && html.contains("STRING"), html);
        assertTrue(html.contains("channels") && html.contains("INTEGER"), html);
        assertTrue(html.contains("<td>fire3</td>") && html.contains("<td>256</td>"), html);
        assertTrue(html.contains("2 rows &times; 2 columns"), html);
        assertFalse(html.contains("&hellip;"));
    }

    @Test
    void longTableShowsHeadAndTailAroundAnEllipsis() {
        double[] values = new double[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        String html = TableHtml.render(Table.create("long", DoubleColumn.create("v", values)));
        assertTrue(html.contains("<th>0</th>") && html.contains("<th>9</th>"), "head rows");
        assertFalse(html.contains("<th>10</th>") || html.contains("<th>89</th>"), "middle rows are left out");
        assertTrue(html.contains("<th>90</th>") && html.contains("<th>99</th>"), "tail rows");
        assertTrue(html.contains("&hellip;"));
        assertTrue(html.contains("100 rows"));
    }

    /** Tablesaw's own text has 16–17 digits per double; readers get four significant ones, and wide tables scroll. */
    @Test
    void tableNumbersAreRoundedAndWideTablesScrollInTheirBox() {
        Table t = Table.create("n", DoubleColumn.create("v", 0.12345678901234, 21.781234567, 0.95, 1234.5678,
                1.0e-7, Double.NaN));
        String html = TableHtml.render(t);
        assertTrue(html.contains("<td>0.1235</td>") && html.contains("<td>21.78</td>")
                && html.contains("<td>0.95</td>") && html.contains("<td>1235</td>")
                && html.contains("<td>1.000e-07</td>") && html.contains("<td></td>"), html);
        assertFalse(html.contains("0.12345678"), html);
        assertTrue(html.contains("overflow-x:auto;width:0;min-width:100%"), "a wide table scrolls inside its own box");
        String text = TableHtml.plain(t);
        assertTrue(text.contains("21.78") && !text.contains("21.781234"), text);
    }

    @Test
    void tableCellsAreEscaped() {
        String html = TableHtml.render(Table.create("t", StringColumn.create("s", "<script>")));
        assertTrue(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    }

    @Test
    void chartIsPngByDefaultAndSvgWhenAsked() throws Exception {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        ds.addValue(1, "s", "a");
        JFreeChart chart = ChartFactory.createBarChart("title", "x", "y", ds);
        DisplayData png = renderer.render(chart);
        assertEquals(ChartImages.DEFAULT_WIDTH, decode(png.getData(MIMEType.IMAGE_PNG)).getWidth());
        assertFalse(png.hasDataForType(MIMEType.IMAGE_SVG));
        DisplayData svg = renderer.renderAs(chart, "image/svg+xml");
        assertTrue(((String) svg.getData(MIMEType.IMAGE_SVG)).startsWith("<svg"));
        DisplayData small = renderer.render(chart, new LinkedHashMap<>(Map.of("width", 200, "height", 100)));
        assertEquals(200, decode(small.getData(MIMEType.IMAGE_PNG)).getWidth());
    }

    @Test
    void displayableMapsEachRepresentationAndEncodesImages() throws Exception {
        BufferedImage image = new BufferedImage(5, 4, BufferedImage.TYPE_INT_ARGB);
        Displayable d = () -> Map.of("text/html", "<b>hi</b>", "image/png", image, "text/plain", "hi");
        DisplayData data = renderer.render(d);
        assertEquals("<b>hi</b>", data.getData(MIMEType.TEXT_HTML));
        assertEquals("hi", data.getData(MIMEType.TEXT_PLAIN));
        assertEquals(5, decode(data.getData(MIMEType.IMAGE_PNG)).getWidth());
    }
}
