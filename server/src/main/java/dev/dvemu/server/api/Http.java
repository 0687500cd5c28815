package dev.dvemu.server.api;

/** Header names and values used on the wire. */
final class Http {
    static final String JSON = "application/json; odata.metadata=minimal";
    static final String ODATA_VERSION = "OData-Version";
    static final String ODATA_ENTITY_ID = "OData-EntityId";
    static final String ETAG = "ETag";
    static final String PREFERENCE_APPLIED = "Preference-Applied";
    static final String CONTENT_TYPE = "Content-Type";
    static final String IF_MATCH = "If-Match";
    static final String IF_NONE_MATCH = "If-None-Match";
    static final String PREFER = "Prefer";
    static final String RETRY_AFTER = "Retry-After";
    static final String BYPASS_CUSTOM_PLUGINS = "MSCRM.BypassCustomPluginExecution";
    static final String BYPASS_BUSINESS_LOGIC = "MSCRM.BypassBusinessLogicExecution";
    static final String BYPASS_STEP_IDS = "MSCRM.BypassBusinessLogicExecutionStepIds";
    /** Set by {@link RequestNormalizer} (never taken from a client) when a URL addresses a row by alternate key. */
    static final String ALTERNATE_KEY = "x-dvemu-alternate-key";

    private Http() {
    }
}
