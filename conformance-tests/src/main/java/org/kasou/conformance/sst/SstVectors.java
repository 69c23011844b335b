package org.kasou.conformance.sst;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the full 80286 real-mode vectors, which live outside the repository in
 * {@code shared/conformance/sst-80286/v1_real_mode} next to the checkout. The system property
 * {@code kasou.sst.dir} overrides the search.
 */
public final class SstVectors {
    public static final String PROPERTY = "kasou.sst.dir";
    static final Path RELATIVE = Path.of("shared", "conformance", "sst-80286", "v1_real_mode");

    private SstVectors() {}

    /** The directory of the full vectors, looked for from the working directory upwards. */
    public static Optional<Path> locate() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        return locateFrom(Path.of("").toAbsolutePath());
    }

    static Optional<Path> locateFrom(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
