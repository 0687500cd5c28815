package dev.dvemu.server.api;

/** Header names and values used on the wire. */
public final class Http {
    public static final String JSON = "application/json; odata.metadata=minimal";
    public static final String ODATA_VERSION = "OData-Version";
    public static final String ODATA_ENTITY_ID = "OData-EntityId";
    public static final String ETAG = "ETag";
    public static final String PREFERENCE_APPLIED = "Preference-Applied";
    public static final String CONTENT_TYPE = "Content-Type";
    static final String IF_MATCH = "If-Match";
    public static final String IF_NONE_MATCH = "If-None-Match";
    static final String PREFER = "Prefer";
    public static final String RETRY_AFTER = "Retry-After";
    static final String BYPASS_CUSTOM_PLUGINS = "MSCRM.BypassCustomPluginExecution";
    static final String BYPASS_BUSINESS_LOGIC = "MSCRM.BypassBusinessLogicExecution";
    static final String BYPASS_STEP_IDS = "MSCRM.BypassBusinessLogicExecutionStepIds";
    /** Set by {@link RequestNormalizer} (never taken from a client) when a URL addresses a row by alternate key. */
    static final String ALTERNATE_KEY = "x-dvemu-alternate-key";

    private Http() {
    }
}
