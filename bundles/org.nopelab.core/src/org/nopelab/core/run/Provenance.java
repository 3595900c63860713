package org.nopelab.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;
import java.util.jar.Manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.nd4j.linalg.factory.Nd4j;
import org.nopelab.nd4j.Nd4jContext;

/**
 * Where a result came from, written beside every result (as Tribuo does): the experiment's hash and seeds,
 * the software that computed it and the machine it ran on, so a number can be traced and re-run.
 */
public record Provenance(
        String experimentSha256,
        long seed,
        long dataSeed,
        String nopelabVersion,
        String engine,
        String nd4jVersion,
        String nd4jBackend,
        String javaVersion,
        String javaVm,
        String os,
        String cpu,
        int cpus,
        String ompNumThreads,
        String created,
        double seconds) {

    public static Provenance of(AnalysisResult r, JsonNode resolved) {
        return new Provenance(sha256(resolved), r.experiment().seed(), r.experiment().dataSeed(), bundleVersion(),
                r.engine(), readNd4jVersion(), describeBackend(), System.getProperty("java.version"),
                System.getProperty("java.vm.name") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), String.valueOf(System.getenv("OMP_NUM_THREADS")),
                Instant.now().toString(), r.seconds());
    }

    /** SHA-256 of the resolved experiment as canonical JSON (keys sorted): equal experiments, equal hashes. */
    public static String sha256(JsonNode resolved) {
        try {
            ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            byte[] bytes = canonical.writeValueAsBytes(canonical.treeToValue(resolved, Object.class));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version of this NoPE Lab build (org.nopelab.core's Bundle-Version). */
    public static String bundleVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            return in == null ? "dev" : String.valueOf(new Manifest(in).getMainAttributes().getValue("Bundle-Version"));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readNd4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String describeBackend() {
        return Nd4jContext.call(() -> Nd4j.getBackend().getClass().getSimpleName() + ", BLAS "
                + Nd4j.factory().blas().getBlasVendor() + ", " + Nd4j.dataType());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }
}
