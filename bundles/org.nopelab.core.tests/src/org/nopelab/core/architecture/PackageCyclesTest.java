package org.nopelab.core.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Core's packages form no cycle: every reference from one package to another (imports and fully qualified names,
 * comments included, since a comment naming a class is a dependency a reader follows) read from the sources.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("../org.nopelab.core/src"); // tycho-surefire runs in this bundle's folder
    private static final Pattern REFERENCE = Pattern.compile("org\\.nopelab\\.core\\.([a-z]\\w*(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    static Map<String, Set<String>> graph(Path root) throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(src);
                if (!pkg.find()) continue;
                String from = pkg.group(1);
                Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(src);
                while (m.find()) {
                    String target = "org.nopelab.core." + m.group(1);
                    if (!target.equals(from)) to.add(target);
                }
            }
        }
        return edges;
    }

    /** A cycle as "a -> b -> a", or null. */
    static String cycle(Map<String, Set<String>> edges) {
        for (String start : edges.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.add(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.poll();
                for (String next : edges.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    if (next.equals(start)) return String.join(" -> ", longer);
                    if (seen.add(next)) paths.add(longer);
                }
            }
        }
        return null;
    }

    @Test
    void coreHasNoPackageCycle() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "core sources not found from " + Path.of("").toAbsolutePath());
        Map<String, Set<String>> edges = graph(SOURCES);
        assertTrue(edges.size() > 10, "read " + edges.keySet());
        assertEquals(null, cycle(edges));
    }

    /** The check finds a cycle where there is one. */
    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> edges = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a")));
        assertEquals("a -> b -> c -> a", cycle(edges));
        assertEquals(null, cycle(new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of()))));
    }
}
