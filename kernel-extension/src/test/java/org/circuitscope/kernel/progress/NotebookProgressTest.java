package org.circuitscope.kernel.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {

    static final class RecordingSink implements DisplaySink {
        final List<String> shown = new ArrayList<>();
        final List<String> replacedIds = new ArrayList<>();
        final List<String> replacedHtml = new ArrayList<>();

        @Override
        public String show(String html, String text) {
            shown.add(html);
            return "bar-1";
        }

        @Override
        public void replace(String displayId, String html, String text) {
            replacedIds.add(displayId);
            replacedHtml.add(html);
        }
    }

    @Test
    void showsOnceThenUpdatesInPlaceAtMostTenTimesASecond() {
        RecordingSink sink = new RecordingSink();
        AtomicLong now = new AtomicLong();
        NotebookProgress p = new NotebookProgress("loading", sink, () -> false, now::get);
        assertEquals(1, sink.shown.size());
        for (int i = 1; i <= 1000; i++) {
            now.addAndGet(1_000_000); // 1 ms per report: 1000 reports over one second
            p.update(i, 2000, "step " + i);
        }
        assertTrue(sink.replacedIds.size() <= 10, "updates: " + sink.replacedIds.size());
        assertTrue(sink.replacedIds.size() >= 9, "updates: " + sink.replacedIds.size());
        assertTrue(sink.replacedIds.stream().allMatch("bar-1"::equals));
        assertTrue(sink.replacedHtml.get(sink.replacedHtml.size() - 1).contains("/2000)"));
    }

    @Test
    void completionAndFinishAreAlwaysShown() {
        RecordingSink sink = new RecordingSink();
        AtomicLong now = new AtomicLong();
        NotebookProgress p = new NotebookProgress("t", sink, () -> false, now::get);
        p.update(10, 10, "");
        assertEquals(1, sink.replacedHtml.size(), "reaching the total shows even within the throttle window");
        assertTrue(sink.replacedHtml.get(0).contains("100%"));
        p.finish("all done");
        assertTrue(sink.replacedHtml.get(sink.replacedHtml.size() - 1).contains("all done"));
        int count = sink.replacedHtml.size();
        p.update(1, 10, "late");
        assertEquals(count, sink.replacedHtml.size(), "nothing after finish");
    }

    /** A computation whose last report was a stage short of its total (2 of 3 levels, say) still ends at 100%. */
    @Test
    void finishingNormallyShowsComplete() {
        RecordingSink sink = new RecordingSink();
        NotebookProgress p = new NotebookProgress("circuit", sink, () -> false, () -> 0L);
        p.update(2, 3, "level 2");
        p.finish("12 units");
        String last = sink.replacedHtml.get(sink.replacedHtml.size() - 1);
        assertTrue(last.contains("100% (3/3)") && last.contains("width:100%"), last);

        RecordingSink unknown = new RecordingSink();
        NotebookProgress q = new NotebookProgress("scan", unknown, () -> false, () -> 0L);
        q.finish("4 ablations");
        String end = unknown.replacedHtml.get(unknown.replacedHtml.size() - 1);
        assertFalse(end.contains("0 done"), end);
        assertTrue(end.contains(">done<") && end.contains("4 ablations"), end);

        AtomicBoolean stop = new AtomicBoolean();
        RecordingSink cancelled = new RecordingSink();
        NotebookProgress c = new NotebookProgress("vis", cancelled, stop::get, () -> 0L);
        c.update(1, 4, "");
        stop.set(true);
        c.finish("interrupted");
        assertTrue(cancelled.replacedHtml.get(cancelled.replacedHtml.size() - 1).contains("25% (1/4)"),
                "an interrupted run shows where it stopped");
    }

    @Test
    void cancelledFollowsTheInterruptFlag() {
        AtomicBoolean interrupted = new AtomicBoolean();
        NotebookProgress p = new NotebookProgress("t", new RecordingSink(), interrupted::get);
        assertFalse(p.cancelled());
        interrupted.set(true);
        assertTrue(p.cancelled());
    }

    @Test
    void unknownTotalShowsACount() {
        assertEquals(-1, ProgressBarHtml.percent(5, 0));
        assertTrue(ProgressBarHtml.text("t", 5, 0, "", "running").contains("5 done"));
        assertTrue(ProgressBarHtml.html("<t>", 1, 2, "", "running").contains("&lt;t&gt;"));
    }
}
