package org.nopelab.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Manifest;

import org.nopelab.core.engines.Engines;

/**
 * The software that computes results: this NoPE Lab build and the ND4J it runs on. Results and checkpoints
 * record it, and are reused only by the same software (a leaf of the package graph, so runs and training can
 * both ask it).
 */
public final class Software {
    private Software() {}

    /** The version of this NoPE Lab build (org.nopelab.core's Bundle-Version, qualifier included). */
    public static String nopelab() {
        try (InputStream in = Software.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            return in == null ? "dev" : String.valueOf(new Manifest(in).getMainAttributes().getValue("Bundle-Version"));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The standard engine's library version (ND4J's release), asked of the engine. */
    public static String nd4j() {
        return Engines.standard().versions().getOrDefault("nd4j", "unknown");
    }

    /** "NoPE Lab VERSION, ND4J VERSION": the string reuse compares. */
    public static String describe(String nopelab, String nd4j) {
        return "NoPE Lab " + nopelab + ", ND4J " + nd4j;
    }

    public static String current() {
        return describe(nopelab(), nd4j());
    }
}
