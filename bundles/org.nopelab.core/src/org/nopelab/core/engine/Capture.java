package org.nopelab.core.engine;

import java.util.Set;
import java.util.function.Predicate;

import org.nopelab.core.model.Tensor;
import org.nopelab.core.model.TensorMap;

/**
 * What a forward pass should hand back, and where it lands: the request and the result of one pass, the same for
 * every engine. Hidden states are asked by name ({@link HiddenStates} lists them); attention on request, per block
 * as {@code layerL.attn.probs} (softmax output) and {@code layerL.attn.scores} (its input: scaled dot products
 * plus any ALiBi bias, -Infinity where the mask hides a key), each [sequences, heads, positions, positions].
 * Engines copy out only what is asked: a state nobody wants costs nothing.
 */
public final class Capture {
    private final Predicate<String> states;
    private final boolean probabilities, scores;
    private final HiddenStates captured = new HiddenStates();
    private final TensorMap attention = new TensorMap("attention capture");

    private Capture(Predicate<String> states, boolean probabilities, boolean scores) {
        this.states = states;
        this.probabilities = probabilities;
        this.scores = scores;
    }

    /** Every hidden state, no attention: what analysis reads. */
    public static Capture allStates() {
        return new Capture(name -> true, false, false);
    }

    /** Only the named states. */
    public static Capture states(Set<String> names) {
        return new Capture(names::contains, false, false);
    }

    /** Nothing: a pass for its loss or predictions only. */
    public static Capture nothing() {
        return new Capture(name -> false, false, false);
    }

    /** The same request plus the attention probabilities of every block (and their pre-softmax scores if asked). */
    public Capture withAttention(boolean alsoScores) {
        return new Capture(states, true, alsoScores);
    }

    /**
     * An empty capture with this one's request, for a part of the batch that an engine runs on its own (the
     * sequences are independent in a forward pass); {@link #join} puts the parts back together in batch order.
     */
    public Capture part() {
        return new Capture(states, probabilities, scores);
    }

    /** Takes the parts' states and attention, each joined along the sequence axis in the parts' order. */
    public void join(java.util.List<Capture> parts) {
        for (String name : parts.get(0).captured.all().keySet()) state(name, Tensor.concat(parts.stream().map(p -> p.captured.get(name)).toList(), Integer.MAX_VALUE));
        for (String name : parts.get(0).attention.all().keySet()) attention.put(name, Tensor.concat(parts.stream().map(p -> p.attention.get(name)).toList(), Integer.MAX_VALUE));
    }

    public boolean wants(String state) {
        return states.test(state);
    }

    public boolean wantsProbabilities() {
        return probabilities;
    }

    public boolean wantsScores() {
        return scores;
    }

    public static String probabilities(int layer) {
        return HiddenStates.sub(layer, "attn.probs");
    }

    public static String scores(int layer) {
        return HiddenStates.sub(layer, "attn.scores");
    }

    /** Called by engines for each state they were asked for, [sequences, positions, width]. */
    public void state(String name, Tensor t) {
        captured.put(name, t);
    }

    /** Called by engines for block layer's (1-based) attention, when asked. */
    public void attention(int layer, Tensor probs, Tensor preSoftmax) {
        if (probabilities && probs != null) attention.put(probabilities(layer), probs);
        if (scores && preSoftmax != null) attention.put(scores(layer), preSoftmax);
    }

    public HiddenStates captured() {
        return captured;
    }

    public TensorMap attention() {
        return attention;
    }
}
