package org.nopelab.nd4j;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which kernels OpenBLAS runs. OpenBLAS chooses them by CPU model when it loads; the builds ND4J bundles (0.3.19)
 * and Debian ships (0.3.21) do not know newer Xeons and fall back to Prescott (SSE3). Measured on an AVX-512 Xeon
 * (bench/matmul/run.sh, one thread): [1920x256]x[256x1024] 16 GFLOP/s as Prescott, 86 with OPENBLAS_CORETYPE
 * SKYLAKEX. So before ND4J loads OpenBLAS, {@link #apply()} sets OPENBLAS_CORETYPE from the CPU's own flags
 * (/proc/cpuinfo) unless the user set it; OpenBLAS reads it with getenv in this same process. The benchmark gives
 * PyTorch's OpenBLAS the same variable, so both sides run the kernels the CPU supports.
 */
public final class BlasCore {
    public static final String VARIABLE = "OPENBLAS_CORETYPE";

    private BlasCore() {}

    /** How the core was chosen (given by the user, set here from the CPU's flags, or left to OpenBLAS), and which. */
    private static String how;
    private static String chosen;
    /** The kernels OpenBLAS reported, once it has: they cannot change while the process runs. */
    private static String reported;

    /**
     * The OpenBLAS core for a CPU with these /proc/cpuinfo flags, or empty where OpenBLAS's own detection is the
     * best there is (no AVX). SKYLAKEX covers every AVX-512 CPU that has the F/DQ/BW/VL subsets (Skylake-SP on):
     * the newer cores (Cooperlake, Sapphire Rapids) add only bf16 kernels, and not every build includes them.
     */
    public static Optional<String> forFlags(Set<String> flags) {
        if (flags.containsAll(Set.of("avx512f", "avx512dq", "avx512bw", "avx512vl"))) return Optional.of("SKYLAKEX");
        if (flags.containsAll(Set.of("avx2", "fma"))) return Optional.of("HASWELL");
        if (flags.contains("avx")) return Optional.of("SANDYBRIDGE");
        return Optional.empty();
    }

    /** This machine's CPU flags; empty where /proc/cpuinfo cannot be read (not Linux). */
    public static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet())).orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /**
     * How long idle native worker threads spin before they sleep, set for this process unless the user set them.
     * Three pools share the cores: OpenBLAS's (the GEMMs), ND4J's OpenMP (its ops) and the fused kernels' Java threads.
     * By default OpenBLAS's workers spin 2^28 cycles (~0.1 s) after each GEMM and libgomp's ~0.2 s after each op, each
     * taking a core from whichever pool runs next: at 2 threads a paper-d64 training step took 131 ms wall and 260 ms
     * of CPU, more than at 1 thread (101 ms); with both set to sleep at once 86 ms wall, 130 ms CPU (measured).
     */
    public static final Map<String, String> IDLE_WAITS = Map.of("OPENBLAS_THREAD_TIMEOUT", "4", "OMP_WAIT_POLICY", "passive");

    /** Which of IDLE_WAITS this process set (the rest were the user's). */
    private static final Map<String, String> waitsSet = new java.util.TreeMap<>();

    /** The core this process's OpenBLAS is told to use, or empty where it detects one itself. Idempotent. */
    public static synchronized Optional<String> apply() {
        if (how != null) return Optional.ofNullable(chosen);
        IDLE_WAITS.forEach((name, value) -> {
            String given = System.getenv(name);
            if ((given == null || given.isBlank()) && Native.setenv(name, value)) waitsSet.put(name, value);
        });
        String given = System.getenv(VARIABLE);
        if (given != null && !given.isBlank()) {
            how = "set by the user";
            chosen = given;
        } else {
            chosen = forFlags(cpuFlags()).filter(BlasCore::setenv).orElse(null);
            how = chosen == null ? "detected by OpenBLAS" : "set by NoPE Lab from the CPU's flags";
        }
        return Optional.ofNullable(chosen);
    }

    /** The kernels OpenBLAS runs, after it has loaded: e.g. "SkylakeX (OPENBLAS_CORETYPE set by NoPE Lab from the CPU's flags)". */
    public static synchronized String describe() {
        apply();
        if (reported == null) reported = Native.call("openblas_get_corename").map(String::trim).orElse(null);
        String name = reported != null ? reported : chosen == null ? "unknown" : chosen;
        return name + (chosen == null ? " (" + how + ")" : " (" + VARIABLE + " " + chosen + " " + how + ")")
                + (waitsSet.isEmpty() ? "" : ", idle threads sleep: " + waitsSet);
    }

    /** OpenBLAS's own openblas_set/get_num_threads, looked up once, on first use (null where they cannot be reached). */
    private static final class ThreadHandles {
        static final MethodHandle SET = find("openblas_set_num_threads", null, "JAVA_INT"), GET = find("openblas_get_num_threads", "JAVA_INT");

        private static MethodHandle find(String symbol, String result, String... args) {
            try {
                return Native.downcall(Native.loaderLookup(), symbol, result, args);
            } catch (Throwable e) {
                return null;
            }
        }
    }

    /**
     * Sets OpenBLAS's thread count through its own openblas_set_num_threads; false where it cannot be reached (the
     * caller then uses ND4J's setter). ND4J's CpuBlas.setMaxThreads resolves the symbol by name at every call
     * (JavaCPP's Loader.addressof, which checks files on disk): 11% of a short split analysis pass, which sets it
     * twice per computation (JFR, measured).
     */
    public static boolean threads(int n) {
        MethodHandle h = ThreadHandles.SET;
        try {
            if (h != null) h.invokeExact(n); // exact: invokeWithArguments boxed and adapted at each call
            return h != null;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * OpenBLAS's thread count as OpenBLAS reports it, empty where it cannot be reached. ND4J's getMaxThreads answers
     * the last value set through ND4J, not OpenBLAS's own (measured: after openblas_set_num_threads(2) it said 1).
     */
    public static java.util.OptionalInt threads() {
        MethodHandle h = ThreadHandles.GET;
        try {
            return h == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) h.invokeExact());
        } catch (Throwable e) {
            return java.util.OptionalInt.empty();
        }
    }

    private static boolean setenv(String core) {
        return Native.setenv(VARIABLE, core);
    }

    /**
     * libc's setenv and a C function returning a string, through the foreign-function API (final in Java 22),
     * reached by reflection so the bundle still compiles for Java 21; on a runtime without it nothing is set and
     * OpenBLAS detects its core as before.
     */
    static final class Native {
        private Native() {}

        static boolean setenv(String name, String value) {
            try {
                Object arena = Class.forName("java.lang.foreign.Arena").getMethod("ofConfined").invoke(null);
                try (AutoCloseable a = (AutoCloseable) arena) {
                    MethodHandle h = downcall(defaultLookup(), "setenv", "JAVA_INT", "ADDRESS", "ADDRESS", "JAVA_INT");
                    Object n = string(arena, name), v = string(arena, value);
                    return h != null && (int) h.invokeWithArguments(n, v, 1) == 0;
                }
            } catch (Throwable e) {
                return false;
            }
        }

        /** A no-argument C function of the libraries this bundle has loaded (OpenBLAS, through JavaCPP) returning char*. */
        static Optional<String> call(String function) {
            try {
                MethodHandle h = downcall(loaderLookup(), function, "ADDRESS");
                if (h == null) return Optional.empty();
                Object address = h.invokeWithArguments();
                Class<?> segments = Class.forName("java.lang.foreign.MemorySegment");
                Object segment = segments.getMethod("reinterpret", long.class).invoke(address, 256L);
                return Optional.of((String) segments.getMethod("getString", long.class).invoke(segment, 0L));
            } catch (Throwable e) {
                return Optional.empty();
            }
        }

        /** The symbols of the libraries this bundle's class loader loaded (OpenBLAS, through JavaCPP). */
        static Object loaderLookup() throws ReflectiveOperationException {
            return Class.forName("java.lang.foreign.SymbolLookup").getMethod("loaderLookup").invoke(null);
        }

        private static Object defaultLookup() throws ReflectiveOperationException {
            Class<?> linkers = Class.forName("java.lang.foreign.Linker");
            return linkers.getMethod("defaultLookup").invoke(linkers.getMethod("nativeLinker").invoke(null));
        }

        /** result null: a void function. */
        static MethodHandle downcall(Object lookup, String symbol, String result, String... args) throws ReflectiveOperationException {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker"), layout = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> values = Class.forName("java.lang.foreign.ValueLayout"), descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
            Optional<?> found = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class).invoke(lookup, symbol);
            if (found.isEmpty()) return null;
            Object[] argLayouts = (Object[]) java.lang.reflect.Array.newInstance(layout, args.length);
            for (int i = 0; i < args.length; i++) argLayouts[i] = values.getField(args[i]).get(null);
            Object fd = result == null ? descriptor.getMethod("ofVoid", argLayouts.getClass()).invoke(null, (Object) argLayouts)
                    : descriptor.getMethod("of", layout, argLayouts.getClass()).invoke(null, values.getField(result).get(null), argLayouts);
            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
            return (MethodHandle) linkerClass.getMethod("downcallHandle", Class.forName("java.lang.foreign.MemorySegment"), descriptor, option.arrayType())
                    .invoke(linker, found.get(), fd, java.lang.reflect.Array.newInstance(option, 0));
        }

        private static Object string(Object arena, String s) throws ReflectiveOperationException {
            return Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocateFrom", String.class).invoke(arena, s);
        }
    }
}
