package dev.dvemu.client;

import java.util.List;
import java.util.Optional;

/**
 * The answers to a batch, one {@link Part} per changeset or standalone operation, in order. Parts the service
 * did not run (after a failure without continue-on-error) are absent.
 */
public final class BatchResult {
    /**
     * The answer to one part: the operation results when it succeeded, or the failure (for a changeset: of the
     * operation that failed, with {@link DataverseException#operationIndex()} set).
     */
    public record Part(boolean changeset, List<OperationResult> operations, Optional<DataverseException> failure) {
        public Part {
            operations = List.copyOf(operations);
        }

        public boolean succeeded() {
            return failure.isEmpty();
        }
    }

    private final List<Part> parts;

    BatchResult(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public List<Part> parts() {
        return parts;
    }

    public Part get(int index) {
        return parts.get(index);
    }

    public boolean allSucceeded() {
        return parts.stream().allMatch(Part::succeeded);
    }
}
