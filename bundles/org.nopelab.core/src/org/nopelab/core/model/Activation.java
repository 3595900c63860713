package org.nopelab.core.model;

/** MLP non-linearity; names as in the experiment file. GELU is PyTorch's exact (erf) form unless gelu_tanh. */
public enum Activation {
    relu, gelu, gelu_tanh, silu;

    /** Scalar definition shared by the reference engine and tests. */
    public double apply(double x) {
        return switch (this) {
            case relu -> Math.max(0, x);
            case gelu -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case gelu_tanh -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case silu -> x / (1 + Math.exp(-x));
        };
    }
}
