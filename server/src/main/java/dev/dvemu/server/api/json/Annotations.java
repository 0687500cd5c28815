package dev.dvemu.server.api.json;

import dev.dvemu.server.metadata.ColumnDef;
import dev.dvemu.server.metadata.ColumnType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which instance annotations a client asked for with {@code Prefer: odata.include-annotations="..."} (§8): a list of
 * names or wildcards ({@code *}, {@code OData.Community.Display.V1.*}); a leading {@code -} excludes. dvemu writes
 * {@code FormattedValue} (choice labels, numbers, money, dates, booleans) and, for lookups,
 * {@code Microsoft.Dynamics.CRM.lookuplogicalname} and {@code associatednavigationproperty}; collections
 * {@code Microsoft.Dynamics.CRM.totalrecordcount} and {@code totalrecordcountlimitexceeded}.
 */
public final class Annotations {
    public static final String FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue";
    public static final String LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public static final String ASSOCIATED_NAVIGATION_PROPERTY = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    static final String TOTAL_RECORD_COUNT = "Microsoft.Dynamics.CRM.totalrecordcount";
    static final String TOTAL_RECORD_COUNT_LIMIT_EXCEEDED = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";
    static final Annotations NONE = new Annotations(null, List.of());

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US);

    private final String preference;
    private final List<String> patterns;

    private Annotations(String preference, List<String> patterns) {
        this.preference = preference;
        this.patterns = patterns;
    }

    /** Reads the value of the {@code odata.include-annotations} preference (quoted or not); empty means none. */
    public static Annotations parse(Optional<String> preference) {
        if (preference.isEmpty() || preference.get().isBlank()) {
            return NONE;
        }
        String v = preference.get().trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        List<String> patterns = new ArrayList<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                patterns.add(p.trim());
            }
        }
        return new Annotations(v, patterns);
    }

    public boolean any() {
        return !patterns.isEmpty();
    }

    /** The value to echo in {@code Preference-Applied}. */
    public String preferenceApplied() {
        return "odata.include-annotations=\"" + preference + "\"";
    }

    public boolean includes(String annotation) {
        boolean included = false;
        for (String p : patterns) {
            boolean exclude = p.startsWith("-");
            String pattern = exclude ? p.substring(1) : p;
            if (matches(pattern, annotation)) {
                if (exclude) {
                    return false;
                }
                included = true;
            }
        }
        return included;
    }

    /**
     * Whether the error annotations ({@code @Microsoft.PowerApps.CDS.ErrorDetails.*}, {@code HelpLink},
     * {@code TraceText}, ...) are asked for: by {@code *} or by any pattern in the {@code Microsoft.PowerApps.CDS}
     * namespace, as Microsoft's documented {@code Microsoft.PowerApps.CDS.ErrorDetails*}.
     */
    public boolean errorDetails() {
        for (String p : patterns) {
            if (p.equals("*") || p.startsWith("Microsoft.PowerApps.CDS")) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String annotation) {
        if (pattern.equals("*") || pattern.equals(annotation)) {
            return true;
        }
        return pattern.endsWith(".*") && annotation.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    /** The display text Dataverse gives a value, or empty when the type has none. */
    static Optional<String> formatted(ColumnDef column, Object value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (column.type()) {
            case CHOICE -> column.option((Integer) value).map(o -> o.label());
            case BOOLEAN -> Optional.of((Boolean) value ? "Yes" : "No");
            case INTEGER, BIGINT -> Optional.of(new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US)).format(value));
            case DECIMAL -> Optional.of(decimal(column, (BigDecimal) value, ""));
            case MONEY -> Optional.of(decimal(column, (BigDecimal) value, "$"));
            case DATETIME -> Optional.of(DATE_TIME.format(((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.UTC)));
            default -> Optional.empty();
        };
    }

    private static String decimal(ColumnDef column, BigDecimal value, String currency) {
        int scale = column.type() == ColumnType.MONEY ? Math.min(2, column.precision()) : column.precision();
        DecimalFormat f = new DecimalFormat("#,##0" + (scale > 0 ? "." + "0".repeat(scale) : ""),
                DecimalFormatSymbols.getInstance(Locale.US));
        String s = f.format(value.setScale(scale, RoundingMode.HALF_UP));
        return s.startsWith("-") ? "-" + currency + s.substring(1) : currency + s;
    }
}
