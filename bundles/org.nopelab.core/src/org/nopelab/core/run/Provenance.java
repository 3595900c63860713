package org.nopelab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.nopelab.core.engines.Engines;
import org.nopelab.core.io.Software;

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
        String blasCore,
        String kernels,
        String javaVersion,
        String javaVm,
        String os,
        String cpu,
        int cpus,
        String ompNumThreads,
        int engineThreads,
        int blasThreads,
        String host,
        String scheduler,
        String created,
        double seconds) {

    public static Provenance of(AnalysisResult r, JsonNode resolved) {
        return of(resolved, r.experiment().seed(), r.experiment().dataSeed(), r.engine(), r.seconds());
    }

    /** Provenance of anything computed from this resolved experiment (a run, a subject, a sweep folder). */
    public static Provenance of(JsonNode resolved, long seed, long dataSeed, String engine, double seconds) {
        // the engine says what it runs on; nothing here asks ND4J itself
        java.util.Map<String, String> v = Engines.byName(engine).versions();
        int[] threads = {Integer.parseInt(v.getOrDefault("engine_threads", "1")), Integer.parseInt(v.getOrDefault("blas_threads", "0"))};
        return new Provenance(sha256(resolved), seed, dataSeed, bundleVersion(),
                engine, Software.nd4j(), v.getOrDefault("backend", v.getOrDefault(engine, engine)), v.get("blas_core"), v.get("kernels"), System.getProperty("java.version"),
                System.getProperty("java.vm.name") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), String.valueOf(System.getenv("OMP_NUM_THREADS")),
                threads[0], threads[1], hostName(), batchJob(), Instant.now().toString(), seconds);
    }

    /** The software that computed a result, as reuse compares it: NoPE Lab's build and ND4J's version. */
    public String software() {
        return Software.describe(nopelabVersion, nd4jVersion);
    }

    /** The software of this process, in the form of {@link #software()}. */
    public static String currentSoftware() {
        return Software.current();
    }

    /** The provenance.json of a result folder, or null where it has none or it cannot be read. */
    public static Provenance read(Path folder) {
        Path p = folder.resolve(FILE);
        if (!Files.isRegularFile(p)) return null;
        try {
            return org.nopelab.core.io.Json.MAPPER.readValue(p.toFile(), Provenance.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** True when this result was computed from the experiment with this hash by the software of this process: only then may it be reused. */
    public boolean reusableFor(String experimentHash) {
        return experimentHash.equals(experimentSha256) && currentSoftware().equals(software());
    }

    public static final String FILE = "provenance.json";

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
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
        return Software.nopelab();
    }

    /**
     * The batch job this ran in, from the scheduler's environment: "slurm job 812_3 (array 812, task 3), partition
     * debug, node n1"; null outside a scheduler.
     */
    static String batchJob() {
        String job = System.getenv("SLURM_JOB_ID");
        if (job == null) return null;
        String array = System.getenv("SLURM_ARRAY_JOB_ID"), task = System.getenv("SLURM_ARRAY_TASK_ID");
        return "slurm job " + (array != null && task != null ? array + "_" + task + " (array " + array + ", task " + task + ", job id " + job + ")" : job)
                + ", partition " + System.getenv().getOrDefault("SLURM_JOB_PARTITION", "?") + ", node " + System.getenv().getOrDefault("SLURMD_NODENAME", "?");
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
