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
    /** Associating two rows of a many-to-many relationship that are linked already (DuplicateRecord). */
    DUPLICATE_ASSOCIATION("0x80040237", 412, "Cannot insert duplicate key."),
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
    INVALID_KEY_VALUE("0x0", 400,
            "The key value '{0}' is not valid for '{1}': a row is addressed by its id (a GUID such as 00000000-0000-0000-0000-000000000000) or by an alternate key."),
    BAD_URI("0x0", 400, "{0}"),
    QUERY_OPTION_NOT_SUPPORTED("0x0", 400, "The query parameter {0} is not supported"),
    NOT_SUPPORTED("0x80060888", 400, "{0}"),
    BAD_REQUEST("0x0", 400, "{0}"),
    /** A custom API called without one of its required request parameters (0x80040203, InvalidArgument). */
    PARAMETER_MISSING("0x80040203", 400, "Required field '{0}' is missing"),
    PARAMETER_UNKNOWN("0x0", 400, "The parameter '{0}' in the request payload is not a valid parameter for the operation '{1}'."),
    INVALID_HOSTNAME("0x0", 400, "Bad request - Invalid Hostname '{0}': a server bound to a loopback address answers only "
            + "localhost, 127.0.0.1, [::1], the host of --public-url and the names given with --allowed-hosts."),

    // $batch (§5)
    CONTENT_ID_NOT_FOUND("0x0", 400, "Content-ID Reference: '{0}' does not exist in the batch context."),
    BATCH_MALFORMED("0x80048d19", 400,
            "Error identified in Payload provided by the user for Entity :'', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : System.ArgumentException: {0}"),
    BATCH_TOO_MANY_OPERATIONS("0x0", 400,
            "The current change set contains too many operations. A maximum number of '{0}' operations are allowed in a change set."),
    BATCH_CONTENT_TYPE("0x80048d19", 415,
            "Error identified in Payload provided by the user for Entity :''. The content type '{0}' is not supported for $batch: send the batch as 'Content-Type: multipart/mixed; boundary=<boundary>' (JSON batches are not supported by Dataverse)."),
    BATCH_GET_IN_CHANGESET("0x0", 400, "GET requests are not allowed in a change set; send them as separate parts of the batch."),

    // 4xx protocol errors
    UNAUTHORIZED("0x80072560", 401, "The user is not authenticated: send an 'Authorization: Bearer <token>' header."),
    METHOD_NOT_ALLOWED("0x80060888", 405, "The requested resource does not support http method '{0}'."),
    NOT_ACCEPTABLE("0x0", 406, "The requested format is not available: {0}"),
    UNSUPPORTED_MEDIA_TYPE("0x80048d19", 415,
            "Error identified in Payload provided by the user for Entity :'{0}'. The content type '{1}' is not supported; send 'Content-Type: application/json'."),
    REQUEST_TOO_LARGE("0x8004418a", 413, "Request message length is too large."),
    REQUEST_TIMEOUT("0x0", 408, "The request body did not arrive in time: after {0} seconds it must arrive at {1} bytes a second or faster."),
    URL_TOO_LONG("0x0", 414, "The request URL is longer than the {0} characters allowed."),
    NOT_IMPLEMENTED("0x80060888", 501, "{0}"),

    // 429: service protection limits, Dataverse's codes and messages verbatim (dataverse-features.md §a, §7)
    SERVICE_PROTECTION_REQUESTS("0x80072322", 429, "Number of requests exceeded the limit of {0} over time window of {1} seconds."),
    SERVICE_PROTECTION_EXECUTION_TIME("0x80072321", 429,
            "Combined execution time of incoming requests exceeded limit of {0} milliseconds over time window of {1} seconds. "
                    + "Decrease number of concurrent requests or reduce the duration of requests and try again later."),
    SERVICE_PROTECTION_CONCURRENT("0x80072326", 429, "Number of concurrent requests exceeded the limit of {0}."),

    // a user's own constraints and triggers (their migrations), §6
    CHECK_VIOLATION("0x80044331", 400, "A validation error occurred. The values violate the check constraint '{0}'."),
    COLUMN_VALUE_REQUIRED("0x80040200", 400, "A validation error occurred.  The value for the '{0}' attribute is required."),
    LOOKUP_TARGET_MISSING("0x80040217", 404, "The specified object was not found: the constraint '{0}' requires a related record that does not exist."),
    CONFLICTING_RECORD("0x80040237", 412, "A record that conflicts with this one already exists: the values violate the constraint '{0}'."),
    CANNOT_DELETE_DUE_TO_ASSOCIATION("0x80040227", 405,
            "The object you tried to delete is associated with another object and cannot be deleted."),
    CUSTOM_LOGIC_FAILED("0x80040265", 400, "{0}"),
    /** A plug-in threw something other than InvalidPluginExecutionException (IsvUnExpected; status unconfirmed). */
    PLUGIN_UNEXPECTED("0x80040224", 400, "An unexpected error occurred from ISV code. (ErrorType = ClientError) Unexpected exception from plug-in (Execute): {0}"),
    /** Plug-ins started operations more than 8 deep (SdkCorrelationTokenDepthTooHigh; status unconfirmed). */
    PLUGIN_DEPTH_EXCEEDED("0x80044182", 400, "This workflow job was canceled because the workflow that started it included an infinite loop. Correct the workflow logic and try again. For information about workflow logic, see Help."),
    /** A plug-in named a table there is none of (QueryBuilderNoEntity). */
    NO_SUCH_ENTITY("0x80041102", 400, "The entity with a name = '{0}' with namemapping = 'Logical' was not found in the MetadataCache."),
    /** A plug-in named a column its table does not have (QueryBuilderNoAttribute). */
    NO_SUCH_ATTRIBUTE("0x80041103", 400, "'{0}' entity doesn't contain attribute with Name = '{1}' and NameMapping = 'Logical'."),
    /**
     * A metadata query named a table there is none of: the MetadataCache fault of the SDK (QueryBuilderNoEntity), answered
     * 404 as a resource that does not exist (the Web API's status for it is not documented).
     */
    DEFINITION_NO_SUCH_ENTITY("0x80041102", 404, "The entity with a name = '{0}' with namemapping = 'Logical' was not found in the MetadataCache."),
    /** A metadata query named a column its table does not have (QueryBuilderNoAttribute), as a missing resource. */
    DEFINITION_NO_SUCH_ATTRIBUTE("0x80041103", 404, "'{0}' entity doesn't contain attribute with Name = '{1}' and NameMapping = 'Logical'."),
    /** A metadata query named a relationship, key or global option set there is none of (ObjectDoesNotExist). */
    DEFINITION_NOT_FOUND("0x80040217", 404, "Could not find {0} with {1} = '{2}'."),
    /** A statement after a failure the plug-in swallowed, in the transaction PostgreSQL already aborted. */
    TRANSACTION_ALREADY_ROLLED_BACK("0x80040255", 500, "The transaction of the SQL command has already been rolled back or committed; this is usually caused by a swallowed SQL deadlock exception."),
    VALUE_NOT_STORABLE("0x0", 400, "A value in the request cannot be stored or compared: {0}."),

    // 5xx: failures of the database, never of input (§6, dataverse-features.md §h). Whether the client may resend
    // depends on what is known of its writes: rolled back (0x80044150, as Dataverse answers a deadlock victim),
    // never run, or unknown (the connection was lost while a commit was in flight).
    GENERIC_SQL_ERROR("0x80044150", 500,
            "Sql error: Generic SQL error. CRM ErrorCode: -2147204784 Sql ErrorCode: -2146232060 Sql Number: 1205. "
                    + "The request conflicted with a concurrent transaction (a deadlock or serialization failure) and was "
                    + "rolled back; nothing of it was written and it can be retried."),
    SQL_TIMEOUT("0x80044151", 500,
            "Sql error: SQL timeout expired. CRM ErrorCode: -2147204783 Sql ErrorCode: -2146232060 Sql Number: -2. "
                    + "A lock or statement waited too long and the request was rolled back; nothing of it was written "
                    + "and it can be retried."),
    CONNECTION_LOST_ROLLED_BACK("0x80044150", 500,
            "Sql error: Generic SQL error. CRM ErrorCode: -2147204784. The connection to the database was lost; the "
                    + "request was rolled back and nothing of it was written. It can be retried."),
    CONNECTION_LOST_OUTCOME_UNKNOWN("0x80040216", 503,
            "The connection to the database was lost while the request was being committed: it may or may not have "
                    + "been written. Read the affected rows before resending it, unless it was conditional "
                    + "(If-Match or If-None-Match: *)."),
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

    /**
     * The message with {@code {n}} replaced by the n-th argument, in one pass over the template: an argument that
     * itself contains {@code {1}} (a property name from a request, say) is never substituted again.
     */
    public String format(Object... args) {
        StringBuilder sb = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i) : -1;
            if (close > i + 1 && close <= i + 3 && isDigits(template, i + 1, close)) {
                int n = Integer.parseInt(template, i + 1, close, 10);
                if (n < args.length) {
                    sb.append(args[n]);
                    i = close + 1;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public DataverseException exception(Object... args) {
        return new DataverseException(this, format(args));
    }
}
