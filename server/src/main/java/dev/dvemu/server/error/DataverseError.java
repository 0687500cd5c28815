package dev.dvemu.server.error;

/**
 * The one table of failures dvemu reports: Dataverse error code, HTTP status and message template
 * ({@code {0}}, {@code {1}}, ... are filled from the arguments). Sources: dataverse-web-api.md §2, §3, §5, §6, §9, §10.
 * Every error response the server writes comes from a row of this table.
 */
public enum DataverseError {
    // 412: concurrency and duplicates (§2, §3, §9, §13.5)
    CONCURRENCY_VERSION_MISMATCH("0x80060882", 412,
            "The version of the existing record doesn't match the RowVersion property provided."),
    DUPLICATE_RECORD("0x80040237", 412, "A record with matching key values already exists."),
    DUPLICATE_RECORD_ENTITY_KEY("0x80060892", 412,
            "A record that has the attribute values {0} already exists. The entity key {1} requires that this set of attributes contains unique values. Select unique values and try again."),

    // 404: missing rows and resources (§2, §4, §6)
    OBJECT_DOES_NOT_EXIST("0x80040217", 404, "Entity '{0}' With Id = {1} Does Not Exist"),
    RECORD_NOT_FOUND_BY_ENTITY_KEY("0x80060891", 404, "A record with the specified key values does not exist in {0} entity"),
    RESOURCE_NOT_FOUND_FOR_SEGMENT("0x8006088a", 404, "Resource not found for the segment '{0}'."),
    NO_HTTP_RESOURCE("0x8006088a", 404, "No HTTP resource was found that matches the request URI '{0}'."),

    // 400: bad requests (§6, §8, §9)
    PROPERTY_NOT_FOUND("0x0", 400, "Could not find a property named '{0}' on type '{1}'."),
    INVALID_PROPERTY_IN_PAYLOAD("0x0", 400,
            "An error occurred while validating input parameters: Microsoft.OData.ODataException: Invalid property '{0}' was found in entity '{1}'."),
    INVALID_VALUE_IN_PAYLOAD("0x0", 400,
            "An error occurred while validating input parameters: Microsoft.OData.ODataException: {0}"),
    READ_ONLY_PROPERTY("0x80048d19", 400,
            "Error identified in Payload provided by the user for Entity :'{0}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: The property '{1}' is read-only and cannot be set."),
    PAYLOAD_ERROR("0x80048d19", 400,
            "Error identified in Payload provided by the user for Entity :'{0}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : {1}"),
    VALIDATION("0x80044331", 400, "{0}"),
    REQUIRED_COLUMN_MISSING("0x80040200", 400, "A validation error occurred.  The value for the '{0}' attribute of the '{1}' entity is required."),
    INVALID_KEY("0x0", 400,
            "The key in the request URI is not valid for resource '{0}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource '{0}'."),
    BAD_URI("0x0", 400, "{0}"),
    QUERY_OPTION_NOT_SUPPORTED("0x0", 400, "The query parameter {0} is not supported"),
    NOT_SUPPORTED("0x80060888", 400, "{0}"),
    BAD_REQUEST("0x0", 400, "{0}"),

    // $batch (§5)
    CONTENT_ID_NOT_FOUND("0x0", 400, "Content-ID Reference: '{0}' does not exist in the batch context."),
    BATCH_MALFORMED("0x80048d19", 400,
            "Error identified in Payload provided by the user for Entity :'', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : System.ArgumentException: {0}"),
    BATCH_TOO_MANY_OPERATIONS("0x0", 400,
            "The current change set contains too many operations. A maximum number of '{0}' operations are allowed in a change set."),
    BATCH_GET_IN_CHANGESET("0x0", 400, "GET requests are not allowed in a change set; send them as separate parts of the batch."),

    // 4xx protocol errors
    UNAUTHORIZED("0x80072560", 401, "The user is not authenticated: send an 'Authorization: Bearer <token>' header."),
    METHOD_NOT_ALLOWED("0x80060888", 405, "The requested resource does not support http method '{0}'."),
    NOT_ACCEPTABLE("0x0", 406, "The requested format is not available: {0}"),
    UNSUPPORTED_MEDIA_TYPE("0x80048d19", 415,
            "Error identified in Payload provided by the user for Entity :'{0}'. The content type '{1}' is not supported; send 'Content-Type: application/json'."),
    REQUEST_TOO_LARGE("0x8004418a", 413, "Request message length is too large."),
    URL_TOO_LONG("0x0", 414, "The request URL is longer than the {0} characters allowed."),
    NOT_IMPLEMENTED("0x80060888", 501, "{0}"),

    // 5xx: our own failures, never input (§7, §12)
    TRANSIENT_SQL("0x80044150", 503,
            "Generic SQL error. The database could not complete the request ({0}); it changed nothing and can be retried."),
    DATABASE_UNAVAILABLE("0x80044150", 503, "The database is unavailable: {0}. Nothing was written; retry."),
    UNEXPECTED("0x80040216", 500, "An unexpected error occurred.");

    private final String code;
    private final int status;
    private final String template;

    DataverseError(String code, int status, String template) {
        this.code = code;
        this.status = status;
        this.template = template;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String format(Object... args) {
        String s = template;
        for (int i = 0; i < args.length; i++) {
            s = s.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return s;
    }

    public DataverseException exception(Object... args) {
        return new DataverseException(this, format(args));
    }
}
