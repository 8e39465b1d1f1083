package org.circuitscope.atlas;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.circuitscope.display.Markup;
import org.circuitscope.display.TableHtml;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.stimuli.TuningCurve;
import org.circuitscope.weights.UnitInputs;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.statistics.HistogramDataset;

/**
 * One unit's page: its images are written as sections are added, the page itself by {@link #write} at the end
 * (which is what marks the unit complete for a resumed run).
 */
final class UnitPage {
    private final Model model;
    private final Unit.Channel unit;
    private final AtlasFiles files;
    /** How many units of each layer the atlas draws (links go only to pages that exist). */
    private final ToIntFunction<String> shown;
    private final StringBuilder body = new StringBuilder();

    UnitPage(Model model, Unit.Channel unit, AtlasFiles files, ToIntFunction<String> shown) {
        this.model = model;
        this.unit = unit;
        this.files = files;
        this.shown = shown;
    }

    private String image(String name, BufferedImage img) {
        Atlas.writePng(files.image(unit.layer(), unit.channel(), name), img);
        return "unit-" + unit.channel() + "/" + name + ".png";
    }

    private String img(String src, String alt, String cls) {
        return "<img" + (cls == null ? "" : " class=\"" + cls + "\"") + " src=\"" + src + "\" alt=\""
                + Markup.escape(alt) + "\"/>";
    }

    void featureVis(BufferedImage positive, String positiveNote, BufferedImage negative, String negativeNote) {
        body.append("<h2>Feature visualisation</h2><div class=\"vis\">");
        body.append("<figure>").append(img(image("channel", positive), "channel " + unit, null))
                .append("<figcaption>maximises ").append(Markup.escape(unit.toString()))
                .append(positiveNote.isEmpty() ? "" : " (" + Markup.escape(positiveNote) + ")")
                .append("</figcaption></figure>");
        if (negative != null) {
            body.append("<figure>").append(img(image("negative", negative), "negative " + unit, null))
                    .append("<figcaption>minimises it").append(negativeNote.isEmpty() ? ""
                            : " (" + Markup.escape(negativeNote) + ")").append("</figcaption></figure>");
        }
        body.append("</div>");
    }

    void diversity(List<BufferedImage> images) {
        body.append("<h3>Diversity</h3><div class=\"vis small\">");
        for (int i = 0; i < images.size(); i++) {
            body.append(img(image("diversity-" + i, images.get(i)), "diversity " + i, null));
        }
        body.append("</div>");
    }

    void examples(ExamplesResult top, ExamplesResult bottom) {
        body.append("<h2>Dataset examples</h2><p>Receptive-field crops around the position of the extreme value, over ")
                .append(top.imagesSeen()).append(" images.</p>");
        section("Top", "top", top);
        section("Bottom", "bottom", bottom);
    }

    private void section(String title, String name, ExamplesResult r) {
        body.append("<h3>").append(title);
        if (!r.unitRead().equals(r.unit())) {
            body.append(" (read before the ReLU, at ").append(Markup.escape(r.unitRead().toString())).append(")");
        }
        body.append("</h3>");
        if (r.examples().isEmpty()) {
            body.append("<p>no examples</p>");
            return;
        }
        body.append(img(image(name, r.grid()), title + " examples of " + unit, "figure"));
        body.append("<details><summary>full images with the box</summary>")
                .append(img(image(name + "-full", r.showFull(true).grid()), title + " examples, full", "figure"))
                .append("</details>");
        r.showFull(false);
        body.append("<details><summary>table</summary>").append(TableHtml.render(r.table(), 40, false))
                .append("</details>");
    }

    void histogram(float[] maxima, int images) {
        HistogramDataset d = new HistogramDataset();
        double[] v = new double[maxima.length];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            v[i] = maxima[i];
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        body.append("<h2>Activation histogram</h2>");
        if (v.length == 0) {
            body.append("<p>no images</p>");
            return;
        }
        // a unit that is constant over the data still gets a visible bar
        if (hi - lo < 1e-9) {
            lo -= 0.5;
            hi += 0.5;
        }
        d.addSeries("max over positions", v, 40, lo, hi);
        JFreeChart chart = ChartFactory.createHistogram("Per-image maximum of " + unit + " (" + images + " images)",
                "activation", "images", d, PlotOrientation.VERTICAL, false, false, false);
        body.append(img(image("histogram", chart.createBufferedImage(640, 300)), "histogram of " + unit, "figure"));
        int zero = 0;
        for (float x : maxima) {
            zero += x <= 0 ? 1 : 0;
        }
        body.append(String.format(Locale.ROOT, "<p>range %.4g to %.4g; %d of %d images never switch it on.</p>",
                lo, hi, zero, images));
    }

    void weights(AtlasWeights.Inputs in, AtlasWeights.Outputs out) {
        body.append("<h2>Weights</h2>");
        if (in != null) {
            body.append("<h3>Strongest inputs</h3>")
                    .append(img(image("inputs", in.figure().image()), "inputs of " + unit, "figure"))
                    .append("<p>");
            for (UnitInputs.InputWeight w : in.shown()) {
                body.append(link(w.input(), w.sign().symbol())).append(" ");
            }
            body.append("</p>");
        }
        if (out != null) {
            body.append("<h3>Strongest outputs</h3>")
                    .append(img(image("outputs", out.figure().image()), "outputs of " + unit, "figure"))
                    .append("<p>");
            for (AtlasWeights.Link l : out.shown()) {
                body.append(link(l.target(), l.weight().sign().symbol())).append(" ");
            }
            body.append("</p>");
        }
    }

    /** A link to the unit's page when the atlas has it, else its name. */
    private String link(Unit.Channel u, String sign) {
        String text = Markup.escape(sign + " " + u);
        if (files.inAtlas(u.layer()) && u.channel() < shown.applyAsInt(u.layer())) {
            return "<a class=\"unit\" href=\"" + files.link(u) + "\">" + text + "</a>";
        }
        return "<span>" + text + "</span>";
    }

    void tuning(TuningCurve t) {
        body.append("<h2>Tuning curve</h2>")
                .append(img(image("tuning", t.chart().createBufferedImage(640, 340)), "tuning curve of " + unit,
                        "figure"))
                .append("<p>").append(Markup.escape(t.toString())).append("</p>");
    }

    void write(String settings) {
        StringBuilder sb = new StringBuilder();
        AtlasFiles.head(sb, model.name() + " " + unit, "../");
        int c = unit.channel();
        sb.append("<nav><a href=\"../index.html\">atlas of ").append(Markup.escape(model.name()))
                .append("</a> › <a href=\"index.html\">").append(Markup.escape(unit.layer())).append("</a>");
        if (c > 0) {
            sb.append(" · <a href=\"unit-").append(c - 1).append(".html\">previous</a>");
        }
        if (c + 1 < shown.applyAsInt(unit.layer())) {
            sb.append(" · <a href=\"unit-").append(c + 1).append(".html\">next</a>");
        }
        sb.append("</nav><h1>").append(Markup.escape(unit.toString())).append("</h1><p><small>")
                .append(Markup.escape(settings)).append("</small></p>");
        sb.append(body).append("</body></html>");
        AtlasFiles.write(files.page(unit.layer(), c), sb.toString());
    }
}
