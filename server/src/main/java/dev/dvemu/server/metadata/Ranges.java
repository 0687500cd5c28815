package dev.dvemu.server.metadata;

import java.math.BigDecimal;

/** The value ranges of number columns: Dataverse's own, which table definitions may narrow and never widen. */
public final class Ranges {
    public static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    public static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    public static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    public static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    /** Decimal columns: ±100,000,000,000. */
    public static final BigDecimal DECIMAL_LIMIT = new BigDecimal("100000000000");
    /** Money columns: ±922,337,203,685,477. */
    public static final BigDecimal MONEY_LIMIT = new BigDecimal("922337203685477");

    private Ranges() {
    }
}
