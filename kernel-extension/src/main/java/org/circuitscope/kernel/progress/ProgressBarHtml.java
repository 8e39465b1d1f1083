package org.circuitscope.kernel.progress;

import org.circuitscope.kernel.render.Html;

/** The look of a progress bar: HTML for the notebook and one plain-text line for other front ends. */
public final class ProgressBarHtml {
    private ProgressBarHtml() {
    }

    /** Percentage done, or -1 when the total is unknown. */
    public static int percent(long done, long total) {
        if (total <= 0) {
            return -1;
        }
        return (int) Math.max(0, Math.min(100, done * 100 / total));
    }

    public static String html(String title, long done, long total, String status, String state) {
        int pct = percent(done, total);
        String fill = pct < 0 ? "100" : Integer.toString(pct);
        String color = switch (state) {
            case "cancelled" -> "#d9534f";
            case "done" -> "#5cb85c";
            default -> "#337ab7";
        };
        String counts = counts(done, total, state);
        return "<div class=\"circuitscope-progress\" style=\"font-family:sans-serif;font-size:13px;margin:2px 0\">"
                + "<span style=\"display:inline-block;min-width:10em\">" + Html.escape(title) + "</span> "
                + "<span style=\"display:inline-block;width:300px;height:12px;background:#e6e6e6;"
                + "vertical-align:middle;border-radius:3px;overflow:hidden\">"
                + "<span style=\"display:block;height:100%;width:" + fill + "%;background:" + color
                + (pct < 0 && "running".equals(state) ? ";opacity:0.4" : "") + "\"></span></span> "
                + "<span>" + Html.escape(counts) + "</span>"
                + (status == null || status.isBlank() ? "" : " <span style=\"color:#666\">"
                + Html.escape(status) + "</span>")
                + "</div>";
    }

    public static String text(String title, long done, long total, String status, String state) {
        return title + ": " + counts(done, total, state) + (status == null || status.isBlank() ? "" : " " + status);
    }

    /** "40% (4/10)"; with an unknown total "4 done" while running and "done" once finished. */
    private static String counts(long done, long total, String state) {
        int pct = percent(done, total);
        if (pct >= 0) {
            return pct + "% (" + done + "/" + total + ")";
        }
        return switch (state) {
            case "done" -> "done";
            case "cancelled" -> "cancelled after " + done;
            default -> done + " done";
        };
    }
}
