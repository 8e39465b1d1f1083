package org.circuitscope.kernel.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * The cells this kernel ran (those sent with {@code store_history}), for history requests: the last n, a range of
 * execution counts, or a glob search. It lives as long as the kernel; there is one session, numbered 1.
 */
public final class KernelHistory implements HistoryManager {
    public static final int SESSION = 1;

    private record Cell(int count, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    public synchronized void record(int count, String input, String output) {
        cells.add(new Cell(count, input, output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = length <= 0 ? 0 : Math.max(0, cells.size() - length);
        return entries(cells.subList(from, cells.size()), flags);
    }

    /** Cells with {@code start <= count < stop} of {@code session} (0 or 1 mean this one; earlier ones are gone). */
    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        List<Cell> found = new ArrayList<>();
        for (Cell c : cells) {
            if (c.count() >= start && (stop <= 0 || c.count() < stop)) {
                found.add(c);
            }
        }
        return entries(found, flags);
    }

    /** The last {@code length} cells (all for 0) whose input matches the glob {@code pattern} ({@code *}, {@code ?}). */
    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern glob = glob(pattern == null || pattern.isEmpty() ? "*" : pattern);
        List<Cell> found = new ArrayList<>();
        for (Cell c : cells) {
            if (glob.matcher(c.input()).matches()) {
                found.add(c);
            }
        }
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, Cell> latest = new LinkedHashMap<>();
            for (Cell c : found) {
                latest.remove(c.input());
                latest.put(c.input(), c);
            }
            found = new ArrayList<>(latest.values());
        }
        int from = length <= 0 ? 0 : Math.max(0, found.size() - length);
        return entries(found.subList(from, found.size()), flags);
    }

    /** The entries a history request asks for, or null for an access type this history does not know. */
    public List<HistoryEntry> answer(HistoryRequest request) {
        Set<ResultFlag> flags = java.util.EnumSet.noneOf(ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(ResultFlag.INCLUDE_OUTPUT);
        }
        return switch (request.getAccessType()) {
            case TAIL -> lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range range = (HistoryRequest.Range) request;
                yield lookupRange(range.getSessionIndex(), range.getStart(), range.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search search = (HistoryRequest.Search) request;
                if (search.filterUnique()) {
                    flags.add(ResultFlag.UNIQUE);
                }
                yield search(search.getPattern(), search.getMaxReturnLength(), flags);
            }
        };
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> entries = new ArrayList<>();
        for (Cell c : cells) {
            // with output, jjava sends [session, count, [input, output]]; a cell without a result has ""
            entries.add(new HistoryEntry(SESSION, c.count(), c.input(),
                    output ? (c.output() == null ? "" : c.output()) : null));
        }
        return entries;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
