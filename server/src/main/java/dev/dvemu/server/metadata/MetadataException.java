package dev.dvemu.server.metadata;

/** A table definition that cannot be used: names the file and what is wrong with it. */
public final class MetadataException extends RuntimeException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
