package org.nopelab.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.jar.Manifest;

import org.nd4j.linalg.factory.Nd4j;

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

    public static String nd4j() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** "NoPE Lab VERSION, ND4J VERSION": the string reuse compares. */
    public static String describe(String nopelab, String nd4j) {
        return "NoPE Lab " + nopelab + ", ND4J " + nd4j;
    }

    public static String current() {
        return describe(nopelab(), nd4j());
    }
}
