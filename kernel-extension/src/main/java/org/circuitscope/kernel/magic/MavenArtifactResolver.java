package org.circuitscope.kernel.magic;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.circuitscope.magics.MagicException;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves Maven coordinates with their runtime dependencies to jar files, from the local repository (~/.m2) and
 * Maven Central. Environment: {@code CIRCUITSCOPE_MAVEN_OFFLINE=true} uses only the local repository;
 * {@code CIRCUITSCOPE_MAVEN_REMOTE} replaces Central's URL (a mirror); {@code maven.repo.local} (system property)
 * moves the local repository.
 */
public final class MavenArtifactResolver {
    public static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int REQUEST_TIMEOUT_MS = 60_000;

    private final Path localRepository;
    private final String remoteUrl;
    private final boolean offline;
    private RepositorySystem system;

    public MavenArtifactResolver(Path localRepository, String remoteUrl, boolean offline) {
        this.localRepository = localRepository;
        this.remoteUrl = remoteUrl;
        this.offline = offline;
    }

    public static MavenArtifactResolver fromEnvironment() {
        String local = System.getProperty("maven.repo.local");
        Path localRepo = local != null && !local.isBlank() ? Path.of(local)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        String remote = System.getenv("CIRCUITSCOPE_MAVEN_REMOTE");
        boolean offline = "true".equalsIgnoreCase(System.getenv("CIRCUITSCOPE_MAVEN_OFFLINE"));
        return new MavenArtifactResolver(localRepo, remote != null && !remote.isBlank() ? remote : CENTRAL, offline);
    }

    /** The jars of {@code coordinates} ({@code group:artifact[:extension[:classifier]]:version}) and its runtime deps. */
    public List<Path> resolve(String coordinates) throws MagicException {
        Artifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new MagicException("%maven: '" + coordinates + "' is not a Maven coordinate; expected "
                    + "group:artifact:version (or group:artifact:extension:classifier:version)");
        }
        RepositorySystem repositorySystem = system();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(repositorySystem.newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        session.setOffline(offline);
        session.setConfigProperty("aether.connector.connectTimeout", CONNECT_TIMEOUT_MS);
        session.setConfigProperty("aether.connector.requestTimeout", REQUEST_TIMEOUT_MS);

        RemoteRepository central = new RemoteRepository.Builder("central", "default", remoteUrl).build();
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), List.of(central));
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        try {
            DependencyResult result = repositorySystem.resolveDependencies(session, request);
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult r : result.getArtifactResults()) {
                if (r.getArtifact() != null && r.getArtifact().getFile() != null) {
                    jars.add(r.getArtifact().getFile().toPath());
                }
            }
            return jars;
        } catch (Exception e) {
            throw new MagicException(explain(coordinates, e));
        }
    }

    private String explain(String coordinates, Exception e) {
        Throwable root = e;
        boolean notFound = false;
        boolean network = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            notFound |= t instanceof ArtifactNotFoundException;
            network |= t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException;
        }
        StringBuilder msg = new StringBuilder("%maven: could not resolve ").append(coordinates).append(": ");
        if (network) {
            msg.append("the repository at ").append(remoteUrl).append(" can't be reached (")
                    .append(root.getClass().getSimpleName()).append(root.getMessage() != null ? ": "
                            + root.getMessage() : "").append("). Offline, only artifacts already in ")
                    .append(localRepository).append(" can be used.");
        } else if (offline) {
            msg.append("it is not in ").append(localRepository)
                    .append(" and resolution is offline (CIRCUITSCOPE_MAVEN_OFFLINE=true).");
        } else if (notFound) {
            msg.append("no such artifact in ").append(localRepository).append(" or ").append(remoteUrl)
                    .append(". Check the group, artifact and version.");
        } else {
            msg.append(firstLine(e.getMessage()));
            if (root != e && root.getMessage() != null) {
                msg.append(" (").append(firstLine(root.getMessage())).append(")");
            }
        }
        return msg.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }
}
