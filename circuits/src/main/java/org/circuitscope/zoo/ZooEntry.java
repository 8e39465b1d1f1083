package org.circuitscope.zoo;

import java.net.URI;
import org.circuitscope.model.InputSpec;

/**
 * A published model circuitscope can fetch by name: where it lives, its pinned SHA-256, and how to read it. For an
 * archive, {@code innerFile} names the model file inside it, with its own checksum.
 */
public record ZooEntry(String name, String description, URI url, String sha256, long size, String fileName,
                       String innerFile, String innerSha256, String labelsFile, InputSpec input, String licence) {

    public boolean archived() {
        return innerFile != null;
    }

    /** The name of the model file once fetched (and unpacked). */
    public String modelFileName() {
        return archived() ? innerFile : fileName;
    }
}
