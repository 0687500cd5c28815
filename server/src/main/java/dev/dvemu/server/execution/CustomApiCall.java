package dev.dvemu.server.execution;

import dev.dvemu.server.store.RowAddress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One call of a custom API: the API, the row it is bound to (its URL's row, for a bound API), and its request
 * parameters as the plug-in reads them (absent optional parameters left out).
 */
public record CustomApiCall(CustomApis.Declared api, Optional<RowAddress> target, Map<String, Object> parameters) {
    public CustomApiCall {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
