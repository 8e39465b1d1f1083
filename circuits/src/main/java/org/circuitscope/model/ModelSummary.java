package org.circuitscope.model;

import java.util.Arrays;

/** The HTML card a model shows as in a notebook: name, source, input, size and the main layers. */
final class ModelSummary {
    private ModelSummary() {
    }

    static String html(Model m) {
        long params = m.layers().all().stream().mapToLong(Layer::parameterCount).sum();
        StringBuilder sb = new StringBuilder();
        sb.append("<div class=\"circuitscope-model\"><b>").append(esc(m.name())).append("</b> <small>")
                .append(esc(m.source())).append("</small><br>")
                .append("input ").append(esc(m.input().toString()))
                .append(" <small>(").append(esc(m.inputOrigin())).append(")</small>; ")
                .append(m.layers().all().size()).append(" layers; ")
                .append(String.format("%,d", params)).append(" parameters")
                .append(m.labels().isEmpty() ? "" : "; " + m.labels().size() + " classes")
                .append("<br><small>layers with weights: ");
        m.layers().all().stream().filter(l -> l.parameterCount() > 0).limit(40)
                .forEach(l -> sb.append(esc(l.name())).append(' ').append(esc(Arrays.toString(l.shape())))
                        .append("; "));
        return sb.append("</small></div>").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
