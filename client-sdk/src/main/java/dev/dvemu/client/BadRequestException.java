package dev.dvemu.client;

/**
 * The request itself is wrong (HTTP 400, 405, 413, 415...): an unknown column, a value of the wrong type, a
 * malformed filter. Sending it again will not help.
 */
public final class BadRequestException extends DataverseException {
    public BadRequestException(int status, String code, String message) {
        super(status, code, message);
    }

    BadRequestException(int status, String code, String message, Integer operationIndex) {
        super(status, code, message, operationIndex, null);
    }
}
