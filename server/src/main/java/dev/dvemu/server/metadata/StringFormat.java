package dev.dvemu.server.metadata;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a String column's text is meant to be shown and edited: Dataverse's {@code StringFormat}, with the member values
 * of its enumeration ({@code Microsoft.Dynamics.CRM.StringFormat}). Only metadata: like Dataverse's Web API, dvemu
 * stores any text in any of them.
 */
public enum StringFormat {
    EMAIL("Email", 0),
    TEXT("Text", 1),
    TEXT_AREA("TextArea", 2),
    URL("Url", 3),
    TICKER_SYMBOL("TickerSymbol", 4),
    PHONE("Phone", 7);

    private final String metadataName;
    private final int value;

    StringFormat(String metadataName, int value) {
        this.metadataName = metadataName;
        this.value = value;
    }

    /** The name in table definitions, in {@code FormatName} and in the enumeration. */
    public String metadataName() {
        return metadataName;
    }

    /** The enumeration member's value. */
    public int value() {
        return value;
    }

    public static Optional<StringFormat> fromMetadataName(String name) {
        return Arrays.stream(values()).filter(f -> f.metadataName.equals(name)).findFirst();
    }
}
