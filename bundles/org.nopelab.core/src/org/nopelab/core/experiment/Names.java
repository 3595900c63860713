package org.nopelab.core.experiment;

import java.util.Collection;

/** "Did you mean" for misspelt keys and enum values: the closest name by edit distance, if close enough. */
public final class Names {
    private Names() {}

    public static String nearest(String wrong, Collection<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String v : valid) {
            int dist = distance(wrong.toLowerCase(), v.toLowerCase());
            if (dist < bestDistance) {
                best = v;
                bestDistance = dist;
            }
        }
        return best != null && bestDistance <= Math.max(2, wrong.length() / 2) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
