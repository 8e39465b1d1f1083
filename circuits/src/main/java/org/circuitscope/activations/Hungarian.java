package org.circuitscope.activations;

/**
 * One-to-one matching that maximises the total score (the Hungarian method, in the O(n²m) shortest-augmenting-path
 * form): for a rows × columns score matrix, each row gets a different column (or, with more rows than columns,
 * each column a different row and the remaining rows none).
 */
public final class Hungarian {
    private Hungarian() {
    }

    /** For each row, its column, or −1 for a row left unmatched (only when there are more rows than columns). */
    public static int[] maximise(double[][] score) {
        int n = score.length;
        if (n == 0) {
            return new int[0];
        }
        int m = score[0].length;
        if (n > m) {
            double[][] t = new double[m][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    t[j][i] = score[i][j];
                }
            }
            int[] colOfRow = maximise(t);
            int[] out = new int[n];
            java.util.Arrays.fill(out, -1);
            for (int j = 0; j < m; j++) {
                out[colOfRow[j]] = j;
            }
            return out;
        }
        // potentials u (rows), v (columns); p[j] = row matched to column j (1-based, 0 = none)
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[m + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = -score[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] out = new int[n];
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                out[p[j] - 1] = j - 1;
            }
        }
        return out;
    }
}
