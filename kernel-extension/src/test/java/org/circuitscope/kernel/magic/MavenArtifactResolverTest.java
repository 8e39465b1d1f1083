package org.circuitscope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.circuitscope.magics.MagicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenArtifactResolverTest {

    @Test
    void malformedCoordinatesAreExplained(@TempDir Path repo) {
        MavenArtifactResolver r = new MavenArtifactResolver(repo, MavenArtifactResolver.CENTRAL, true);
        MagicException e = assertThrows(MagicException.class, () -> r.resolve("just-a-name"));
        assertTrue(e.getMessage().contains("is not a Maven coordinate"), e.getMessage());
    }

    @Test
    void offlineMissingArtifactSaysSo(@TempDir Path repo) {
        MavenArtifactResolver r = new MavenArtifactResolver(repo, MavenArtifactResolver.CENTRAL, true);
        MagicException e = assertThrows(MagicException.class, () -> r.resolve("org.example:absent:1.0"));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
    }

    @Test
    void unreachableRepositoryIsNamedAsSuch(@TempDir Path repo) {
        MavenArtifactResolver r = new MavenArtifactResolver(repo, "http://127.0.0.1:9/maven2/", false);
        MagicException e = assertThrows(MagicException.class, () -> r.resolve("org.example:absent:1.0"));
        assertTrue(e.getMessage().contains("can't be reached"), e.getMessage());
    }
}
