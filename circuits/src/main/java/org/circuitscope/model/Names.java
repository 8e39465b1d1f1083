package org.circuitscope.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Suggestions for a mistyped name: the known names closest by edit distance (and by shared prefix). */
public final class Names {
    private Names() {
    }

    public static List<String> closest(String wanted, Collection<String> known, int howMany) {
        String w = wanted.toLowerCase(Locale.ROOT);
        return known.stream()
                .sorted(Comparator.<String>comparingInt(k -> score(w, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .limit(howMany)
                .toList();
    }

    private static int score(String wanted, String known) {
        int d = distance(wanted, known);
        if (known.contains(wanted) || wanted.contains(known)) {
            d = Math.min(d, Math.abs(known.length() - wanted.length()) / 2);
        }
        return d;
    }

    /** The edit (Levenshtein) distance between two strings. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
