package dev.dvemu.plugin;

/** Dataverse's {@code OperationStatus}, reported with a plug-in's error when annotations are asked for. */
public enum OperationStatus {
    FAILED(0), CANCELED(1), SUSPENDED(2), SUCCEEDED(3);

    private final int value;

    OperationStatus(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
