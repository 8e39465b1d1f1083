package org.circuitscope.atlas;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.circuitscope.census.Census;
import org.circuitscope.census.Rules;
import org.circuitscope.dictionary.FeatureDictionary;
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
import org.jfree.chart.plot.ValueMarker;
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

    void featureVis(BufferedImage positive, String positiveNote, BufferedImage neuron, String neuronNote,
                    BufferedImage negative, String negativeNote) {
        body.append("<h2>Feature visualisation</h2><div class=\"vis\">");
        body.append("<figure>").append(img(image("channel", positive), "channel " + unit, null))
                .append("<figcaption>channel: maximises ").append(Markup.escape(unit.toString()))
                .append(positiveNote.isEmpty() ? "" : " (" + Markup.escape(positiveNote) + ")")
                .append("</figcaption></figure>");
        if (neuron != null) {
            body.append("<figure>").append(img(image("neuron", neuron), "neuron " + unit + "@centre", null))
                    .append("<figcaption>neuron: maximises ").append(Markup.escape(unit + "@centre"))
                    .append(" (the centre position only)")
                    .append(neuronNote.isEmpty() ? "" : " (" + Markup.escape(neuronNote) + ")")
                    .append("</figcaption></figure>");
        }
        if (negative != null) {
            body.append("<figure>").append(img(image("negative", negative), "negative " + unit, null))
                    .append("<figcaption>negative: minimises it").append(negativeNote.isEmpty() ? ""
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

    void histogram(float[] maxima, int images, List<Atlas.Level> levels) {
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
        // where the images sampled by level sit on it
        for (Atlas.Level l : levels) {
            ValueMarker m = new ValueMarker(l.value(), new Color(200, 40, 40), new BasicStroke(1.2f));
            chart.getXYPlot().addDomainMarker(m);
        }
        body.append(img(image("histogram", chart.createBufferedImage(640, 300)), "histogram of " + unit, "figure"));
        int zero = 0;
        for (float x : maxima) {
            zero += x <= 0 ? 1 : 0;
        }
        body.append(String.format(Locale.ROOT, "<p>range %.4g to %.4g; %d of %d images never switch it on.</p>",
                lo, hi, zero, images));
        if (!levels.isEmpty()) {
            body.append("<h3>Examples by activation level</h3><p>The images at evenly spaced quantiles of the "
                    + "per-image maximum, lowest first (red lines on the histogram).</p><div class=\"levels\">");
            for (int i = 0; i < levels.size(); i++) {
                Atlas.Level l = levels.get(i);
                body.append("<figure>").append(img(image("level-" + i, l.image()), "level " + i + ": " + l.id(),
                        null)).append(String.format(Locale.ROOT, "<figcaption>q %.2f: %.3g<br/>%s</figcaption>",
                        l.quantile(), l.value(), Markup.escape(l.id()))).append("</figure>");
            }
            body.append("</div>");
        }
    }

    void census(Census census, int channel) {
        Rules.Verdict v = census.verdict(channel);
        body.append("<h2>Family</h2><div class=\"census\"><p>");
        body.append("<b>").append(Markup.escape(v.familyLabel())).append("</b>")
                .append(String.format(Locale.ROOT, " (score: z %.2f)", v.score()));
        if (!Double.isNaN(v.orientation())) {
            body.append(String.format(Locale.ROOT, "; preferred orientation %.0f°", v.orientation()));
        }
        if (!Double.isNaN(v.size())) {
            body.append(String.format(Locale.ROOT, "; size %.3g px", v.size()));
        }
        if (!v.color().isEmpty()) {
            body.append("; colour ").append(Markup.escape(v.color()));
        }
        body.append(". ").append(Markup.escape(v.reason())).append("</p><figure>")
                .append(img(image("census-best", census.bestStimulus(v)), "best stimulus of " + unit, null))
                .append("<figcaption>its best stimulus (").append(Markup.escape(v.set() + " #" + v.stimulus()))
                .append(")</figcaption></figure><p><small>").append(Markup.escape(census.toString()))
                .append("</small></p></div>");
    }

    void dictionary(FeatureDictionary d, List<Integer> top, double[][] loadings, String from,
                    Map<Integer, BufferedImage> images) {
        body.append("<h2>Dictionary features</h2><p>Features of ").append(Markup.escape(d.toString()))
                .append(" that load most on ").append(Markup.escape(unit.toString())).append(" (")
                .append(Markup.escape(from)).append(").</p>");
        if (top.isEmpty()) {
            body.append("<p>no feature loads positively on it</p>");
            return;
        }
        double[] mine = loadings[unit.channel()];
        double total = 0;
        for (double x : mine) {
            total += Math.max(0, x);
        }
        body.append("<div class=\"features\">");
        for (int f : top) {
            body.append("<figure>");
            if (images.get(f) != null) {
                String src = AtlasFiles.featureLink(d.name(), f);
                body.append("<a href=\"").append(src).append("\">").append(img(src, "feature " + d.name() + ":" + f,
                        null)).append("</a>");
            }
            body.append(String.format(Locale.ROOT, "<figcaption>%s/%s:%d<br/>loading %.3g (%.0f%%)",
                    Markup.escape(d.layer()), Markup.escape(d.name()), f, mine[f], total > 0 ? 100 * mine[f] / total
                            : 0));
            // the other drawn units this feature loads on most
            List<Integer> also = new ArrayList<>();
            for (int c = 0; c < loadings.length && c < shown.applyAsInt(unit.layer()); c++) {
                if (c != unit.channel() && Atlas.topFeatures(loadings[c], Atlas.FEATURES_SHOWN).contains(f)) {
                    also.add(c);
                }
            }
            if (!also.isEmpty()) {
                body.append("<br/>also on ");
                for (int c : also.subList(0, Math.min(6, also.size()))) {
                    body.append(link(Unit.channel(unit.layer(), c), "")).append(" ");
                }
            }
            body.append("</figcaption></figure>");
        }
        body.append("</div>");
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
        String text = Markup.escape((sign + " " + u).trim());
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
