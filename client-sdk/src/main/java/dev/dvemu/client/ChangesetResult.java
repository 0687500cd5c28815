package dev.dvemu.client;

import java.util.List;
import java.util.Map;

/** The answers to every operation of a committed changeset, in order, and by the names given with {@code as()}. */
public final class ChangesetResult {
    private final List<OperationResult> results;
    private final Map<String, Integer> names;

    ChangesetResult(List<OperationResult> results, Map<String, Integer> names) {
        this.results = List.copyOf(results);
        this.names = Map.copyOf(names);
    }

    public List<OperationResult> operations() {
        return results;
    }

    public OperationResult get(int index) {
        return results.get(index);
    }

    public OperationResult get(String name) {
        Integer i = names.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no operation is named '" + name + "'");
        }
        return results.get(i);
    }

    public int size() {
        return results.size();
    }
}
