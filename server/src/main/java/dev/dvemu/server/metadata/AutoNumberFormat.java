package dev.dvemu.server.metadata;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dataverse autonumber format such as {@code BK-{SEQNUM:6}} or {@code WID-{SEQNUM:5}-{RANDSTRING:6}-{DATETIMEUTC:yyyyMMdd}}.
 * The sequence number comes from a PostgreSQL sequence (unique under any concurrency); this class only renders it.
 */
public final class AutoNumberFormat {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(SEQNUM|RANDSTRING|DATETIMEUTC):([^}]*)}");
    private static final char[] RANDOM_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private sealed interface Part permits Literal, SeqNum, RandString, DateTimeUtc {
    }

    private record Literal(String text) implements Part {
    }

    private record SeqNum(int minLength) implements Part {
    }

    private record RandString(int length) implements Part {
    }

    private record DateTimeUtc(DateTimeFormatter formatter) implements Part {
    }

    private final String pattern;
    private final List<Part> parts;

    private AutoNumberFormat(String pattern, List<Part> parts) {
        this.pattern = pattern;
        this.parts = List.copyOf(parts);
    }

    public static AutoNumberFormat parse(String pattern) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        int last = 0;
        boolean hasSeq = false;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(new Literal(pattern.substring(last, m.start())));
            }
            String arg = m.group(2);
            switch (m.group(1)) {
                case "SEQNUM" -> {
                    parts.add(new SeqNum(positive(arg, pattern)));
                    hasSeq = true;
                }
                case "RANDSTRING" -> {
                    int n = positive(arg, pattern);
                    if (n > 6) {
                        throw new MetadataException("RANDSTRING length must be 1 to 6 in autonumber format '" + pattern + "'");
                    }
                    parts.add(new RandString(n));
                }
                default -> parts.add(new DateTimeUtc(dotNetFormat(arg, pattern)));
            }
            last = m.end();
        }
        if (last < pattern.length()) {
            parts.add(new Literal(pattern.substring(last)));
        }
        if (!hasSeq) {
            throw new MetadataException("autonumber format '" + pattern + "' has no {SEQNUM:n}");
        }
        return new AutoNumberFormat(pattern, parts);
    }

    private static int positive(String arg, String pattern) {
        try {
            int n = Integer.parseInt(arg.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new MetadataException("'" + arg + "' is not a positive length in autonumber format '" + pattern + "'");
    }

    /** .NET custom date formats use the same letters as java.time for the parts that matter here (y M d H h m s). */
    private static DateTimeFormatter dotNetFormat(String arg, String pattern) {
        try {
            return DateTimeFormatter.ofPattern(arg.replace("tt", "a"));
        } catch (IllegalArgumentException e) {
            throw new MetadataException("bad DATETIMEUTC format '" + arg + "' in autonumber format '" + pattern + "'", e);
        }
    }

    /** Renders the value for the given sequence number; the number grows past the minimum length, as in Dataverse. */
    public String render(long sequenceValue) {
        StringBuilder sb = new StringBuilder();
        ZonedDateTime now = null;
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else if (p instanceof SeqNum s) {
                String digits = Long.toString(sequenceValue);
                sb.append("0".repeat(Math.max(0, s.minLength() - digits.length()))).append(digits);
            } else if (p instanceof RandString r) {
                for (int i = 0; i < r.length(); i++) {
                    sb.append(RANDOM_CHARS[RANDOM.nextInt(RANDOM_CHARS.length)]);
                }
            } else if (p instanceof DateTimeUtc d) {
                if (now == null) {
                    now = ZonedDateTime.now(ZoneOffset.UTC);
                }
                sb.append(d.formatter().format(now));
            }
        }
        return sb.toString();
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
