package org.agentnet.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Which results belong to a run: by the time their file was written. */
final class ResultFiles {

    private ResultFiles() {
    }

    /**
     * The entries of {@code dir} whose file ({@code stamp} of the entry: the entry itself, or a file
     * in it) exists and was written at or after {@code since}, oldest first.
     */
    static List<Path> writtenSince(Path dir, UnaryOperator<Path> stamp, Instant since) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(entry -> Files.isRegularFile(stamp.apply(entry)))
                    .filter(entry -> !modified(stamp.apply(entry)).isBefore(since))
                    .sorted(Comparator.comparing((Path entry) -> modified(stamp.apply(entry))))
                    .toList();
        }
    }

    /** The newest result of each key, from results oldest first; in the order of those kept. */
    static <T> List<T> newestPerKey(List<T> oldestFirst, Function<T, String> key) {
        Map<String, T> newest = new LinkedHashMap<>();
        for (T result : oldestFirst) {
            newest.remove(key.apply(result));
            newest.put(key.apply(result), result);
        }
        return List.copyOf(newest.values());
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
