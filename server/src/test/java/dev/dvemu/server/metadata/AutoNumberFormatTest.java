package dev.dvemu.server.metadata;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoNumberFormatTest {
    @Test
    void seqNumIsZeroPaddedToItsMinimumLength() {
        assertEquals("BK-001000", AutoNumberFormat.parse("BK-{SEQNUM:6}").render(1000));
        assertEquals("BK-000001", AutoNumberFormat.parse("BK-{SEQNUM:6}").render(1));
    }

    @Test
    void seqNumGrowsPastItsMinimumLength() {
        assertEquals("BK-999999", AutoNumberFormat.parse("BK-{SEQNUM:6}").render(999_999));
        assertEquals("BK-1000000", AutoNumberFormat.parse("BK-{SEQNUM:6}").render(1_000_000));
        assertEquals("BK-12345678901", AutoNumberFormat.parse("BK-{SEQNUM:6}").render(12_345_678_901L));
    }

    @Test
    void randStringHasTheDeclaredLength() {
        AutoNumberFormat f = AutoNumberFormat.parse("X-{SEQNUM:3}-{RANDSTRING:5}");
        for (int i = 0; i < 50; i++) {
            String v = f.render(7);
            assertTrue(v.matches("X-007-[A-Z0-9]{5}"), v);
        }
    }

    @Test
    void literalTextAroundPlaceholdersIsKept() {
        assertEquals("A{B}-0042-Z", AutoNumberFormat.parse("A{B}-{SEQNUM:4}-Z").render(42));
    }

    @Test
    void dateTimeUtcIsRendered() {
        String v = AutoNumberFormat.parse("{SEQNUM:2}-{DATETIMEUTC:yyyyMMdd}").render(5);
        assertTrue(v.matches("05-\\d{8}"), v);
    }

    @Test
    void formatWithoutSeqNumIsRefused() {
        MetadataException e = assertThrows(MetadataException.class, () -> AutoNumberFormat.parse("X-{RANDSTRING:4}"));
        assertTrue(e.getMessage().contains("SEQNUM"), e.getMessage());
    }

    @Test
    void randStringLongerThanSixIsRefused() {
        MetadataException e = assertThrows(MetadataException.class, () -> AutoNumberFormat.parse("{SEQNUM:3}{RANDSTRING:7}"));
        assertTrue(e.getMessage().contains("RANDSTRING"), e.getMessage());
    }

    @Test
    void nonPositiveSeqNumLengthIsRefused() {
        assertThrows(MetadataException.class, () -> AutoNumberFormat.parse("{SEQNUM:0}"));
        assertThrows(MetadataException.class, () -> AutoNumberFormat.parse("{SEQNUM:x}"));
    }
}
