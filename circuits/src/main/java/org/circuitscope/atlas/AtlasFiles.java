package org.circuitscope.atlas;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import javax.imageio.ImageIO;
import org.circuitscope.display.Markup;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;

/**
 * Where the atlas keeps what: {@code index.html}, one folder per layer (its name made safe for a file system:
 * {@code fire4/concat} → {@code fire4_concat}) with the layer's {@code index.html}, a page {@code unit-N.html} per
 * unit and that unit's images in {@code unit-N/}. All links are relative, so the folder can be moved or served.
 */
final class AtlasFiles {
    static final String STYLE = "atlas.css";

    private final Path dir;
    private final List<String> layers;
    private final Map<String, String> folders = new HashMap<>();

    AtlasFiles(Path dir, List<String> layers) {
        this.dir = dir;
        this.layers = layers;
        Set<String> used = new HashSet<>();
        for (String l : layers) {
            String base = l.replaceAll("[^A-Za-z0-9_.-]", "_");
            if (base.isEmpty() || base.startsWith(".")) {
                base = "layer" + base;
            }
            String f = base;
            for (int i = 2; !used.add(f.toLowerCase(java.util.Locale.ROOT)); i++) {
                f = base + "-" + i;
            }
            folders.put(l, f);
        }
    }

    Path index() {
        return dir.resolve("index.html");
    }

    boolean inAtlas(String layer) {
        return folders.containsKey(layer);
    }

    String folder(String layer) {
        return folders.get(layer);
    }

    Path page(String layer, int channel) {
        return dir.resolve(folder(layer)).resolve("unit-" + channel + ".html");
    }

    Path image(String layer, int channel, String name) {
        return dir.resolve(folder(layer)).resolve("unit-" + channel).resolve(name + ".png");
    }

    /** A page links to another unit's page with this path (from any unit page or layer index). */
    String link(Unit.Channel unit) {
        return "../" + folder(unit.layer()) + "/unit-" + unit.channel() + ".html";
    }

    /** Whether the unit's page is there: it is written last, so its images are there too. */
    boolean complete(String layer, int channel) {
        return Files.isRegularFile(page(layer, channel));
    }

    /** The unit's feature visualisation as written by an earlier batch, or null. */
    BufferedImage featureVis(Unit unit) {
        if (!(unit instanceof Unit.Channel c) || !inAtlas(c.layer())) {
            return null;
        }
        Path f = image(c.layer(), c.channel(), "channel");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return ImageIO.read(f.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /** Where a dictionary feature's visualisation is kept: the layer's {@code features/} folder. */
    Path featurePath(String layer, String dictionary, int feature) {
        return dir.resolve(folder(layer)).resolve("features").resolve(dictionary + "-" + feature + ".png");
    }

    /** The same path as a unit page of the layer links to it. */
    static String featureLink(String dictionary, int feature) {
        return "features/" + dictionary + "-" + feature + ".png";
    }

    /** A dictionary feature's visualisation as an earlier batch wrote it, or null. */
    BufferedImage featureImage(String layer, String dictionary, int feature) {
        Path f = featurePath(layer, dictionary, feature);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return ImageIO.read(f.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    void writeStyle() {
        String css = """
                body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1200px; }
                a { color: #1a5fb4; }
                .grid { display: flex; flex-wrap: wrap; gap: 8px; }
                .cell { width: 104px; font-size: 12px; text-align: center; }
                .cell img { width: 96px; height: 96px; image-rendering: pixelated; border: 1px solid #ccc; }
                .missing { width: 96px; height: 96px; display: inline-block; background: #eee; }
                .vis img { width: 192px; height: 192px; image-rendering: pixelated; margin-right: 8px; }
                .vis figure { display: inline-block; margin: 0 12px 0 0; }
                .levels { display: flex; flex-wrap: wrap; gap: 6px; }
                .levels figure, .features figure { margin: 0; font-size: 11px; text-align: center; }
                .levels img { width: 96px; height: 96px; image-rendering: pixelated; border: 1px solid #ccc; }
                .features { display: flex; flex-wrap: wrap; gap: 10px; }
                .features img { width: 128px; height: 128px; image-rendering: pixelated; }
                .census img { width: 96px; height: 96px; image-rendering: pixelated; border: 1px solid #ccc; }
                .small img { width: 128px; height: 128px; }
                figure img.figure { max-width: 100%; }
                nav { margin-bottom: 1em; }
                td, th { padding: 2px 6px; }
                """;
        Atlas.writeAtomically(dir.resolve(STYLE), css.getBytes(StandardCharsets.UTF_8));
    }

    /** The site's index (its layers) and each layer's index (a thumbnail grid), from what is on disk now. */
    void writeIndexes(Model model, ToIntFunction<String> channels, String settings) {
        StringBuilder top = new StringBuilder();
        head(top, "Atlas of " + model.name(), "");
        top.append("<h1>Atlas of ").append(Markup.escape(model.name())).append("</h1>");
        top.append("<p>").append(Markup.escape(model.source())).append("</p>");
        top.append("<p>").append(Markup.escape(settings)).append("</p><table><tr><th>layer</th><th>units</th>"
                + "<th>pages</th></tr>");
        for (String layer : layers) {
            int n = channels.applyAsInt(layer);
            int done = 0;
            StringBuilder grid = new StringBuilder();
            head(grid, "Atlas of " + model.name() + ": " + layer, "../");
            grid.append("<nav><a href=\"../index.html\">atlas of ").append(Markup.escape(model.name()))
                    .append("</a></nav><h1>").append(Markup.escape(layer)).append("</h1><div class=\"grid\">");
            for (int c = 0; c < n; c++) {
                boolean ok = complete(layer, c);
                done += ok ? 1 : 0;
                grid.append("<div class=\"cell\">");
                if (ok) {
                    grid.append("<a href=\"unit-").append(c).append(".html\"><img src=\"unit-").append(c)
                            .append("/channel.png\" alt=\"").append(Markup.escape(layer + ":" + c))
                            .append("\"/><br/>").append(c).append("</a>");
                } else {
                    grid.append("<span class=\"missing\"></span><br/>").append(c).append(" (not yet)");
                }
                grid.append("</div>");
            }
            grid.append("</div></body></html>");
            Atlas.writeAtomically(dir.resolve(folder(layer)).resolve("index.html"),
                    grid.toString().getBytes(StandardCharsets.UTF_8));
            top.append("<tr><td><a href=\"").append(folder(layer)).append("/index.html\">")
                    .append(Markup.escape(layer)).append("</a></td><td>").append(n).append("</td><td>").append(done)
                    .append("</td></tr>");
        }
        top.append("</table></body></html>");
        Atlas.writeAtomically(index(), top.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void head(StringBuilder sb, String title, String up) {
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>").append(Markup.escape(title))
                .append("</title><link rel=\"stylesheet\" href=\"").append(up).append(STYLE)
                .append("\"/></head><body>");
    }

    static void write(Path file, String html) {
        Atlas.writeAtomically(file, html.getBytes(StandardCharsets.UTF_8));
    }
}
