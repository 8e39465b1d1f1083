package org.circuitscope.kernel.progress;

/** Where a live output goes: shown once, then replaced in place. */
public interface DisplaySink {

    /** Shows HTML (with a plain-text fallback) and returns its display id. */
    String show(String html, String text);

    void replace(String displayId, String html, String text);
}
