package org.nopelab.core.model;

/** erf for the reference engine: W. J. Cody's rational approximations are overkill; this uses the
 *  Abramowitz-Stegun 7.1.26-free series/continued-fraction split, accurate to ~1e-15. */
final class Erf {
    private Erf() {}

    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // Maclaurin series: converges fast for |x| < 2.5
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // continued fraction for erfc, Lentz's method
            double tiny = 1e-300, f = ax, c = ax, d = 0;
            for (int n = 1; n < 300; n++) {
                double a = n / 2.0;
                d = ax + a * d; d = d == 0 ? tiny : d; d = 1 / d;
                c = ax + a / c; c = c == 0 ? tiny : c;
                double delta = c * d; f *= delta;
                if (Math.abs(delta - 1) < 1e-16) break;
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
