package dev.dvemu.server.api.query;

import dev.dvemu.server.api.json.RowJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.dvemu.server.error.DataverseError;
import dev.dvemu.server.error.DataverseException;
import dev.dvemu.server.metadata.ValueConverter;
import dev.dvemu.server.store.SortKey;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code $skiptoken} of a nextLink: the sort values of the last row of the page, as base64url JSON. Opaque to
 * clients (Dataverse's is a paging cookie, §8); it names a position in the order, not an offset, so paging stays
 * stable while rows change.
 */
public final class SkipTokens {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SkipTokens() {
    }

    public static String encode(List<Object> values) {
        ArrayNode array = JSON.createArrayNode();
        for (Object v : values) {
            if (v == null) {
                array.addNull();
            } else if (v instanceof Integer i) {
                array.add(i);
            } else if (v instanceof Long l) {
                array.add(l);
            } else if (v instanceof Boolean b) {
                array.add(b);
            } else if (v instanceof BigDecimal d) {
                array.add(d.toPlainString());
            } else {
                array.add(RowJson.text(v));
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static List<Object> decode(String token, List<SortKey> keys) {
        try {
            JsonNode array = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (array == null || !array.isArray() || array.size() != keys.size()) {
                throw invalid();
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                JsonNode n = array.get(i);
                out.add(n.isNull() ? null : ValueConverter.fromJson(keys.get(i).column(), n));
            }
            return out;
        } catch (DataverseException e) {
            throw e;
        } catch (Exception e) {
            throw invalid();
        }
    }

    private static DataverseException invalid() {
        return DataverseError.BAD_URI.exception("The $skiptoken is not valid for this query; "
                + "follow @odata.nextLink exactly as it was returned, with the same $orderby.");
    }
}
