package dev.dvemu.client;

/** The row, entity set or resource does not exist (HTTP 404, e.g. {@code 0x80040217}). */
public final class NotFoundException extends DataverseException {
    public NotFoundException(int status, String code, String message) {
        super(status, code, message);
    }

    NotFoundException(int status, String code, String message, Integer operationIndex) {
        super(status, code, message, operationIndex, null);
    }
}
