package dev.dvemu.server.api.json;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict UTF-8, as the JDK's decoder reads it when told to report rather than replace: overlong forms
 * ({@code C0 AF} for {@code /}), encoded surrogates and truncated sequences are errors. Lenient decoders turn such
 * bytes into other characters, so a value would be stored or compared as something the client never sent; dvemu
 * refuses them instead.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The text of {@code bytes[0..length)}, or empty when they are not well-formed UTF-8. */
    static Optional<CharBuffer> decode(byte[] bytes, int length) {
        try {
            return Optional.of(decoder().decode(ByteBuffer.wrap(bytes, 0, length)));
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    public static boolean isValid(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return decode(bytes, bytes.length).isPresent();
            }
        }
        return true; // ASCII, the usual case
    }

    /**
     * Whether the percent-encoded bytes of a raw URL part decode to well-formed UTF-8. Malformed percent-encoding
     * itself is left to the parsers, which answer it with their own 400.
     */
    public static boolean isValidPercentEncoded(String raw) {
        if (raw == null || raw.indexOf('%') < 0) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                bytes.write(hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return isValid(bytes.toByteArray());
    }

    /** The text with every unpaired surrogate (which no UTF-8 can carry) replaced by U+FFFD. */
    static String withoutUnpairedSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                StringBuilder sb = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    char c = s.charAt(j);
                    if (Character.isHighSurrogate(c) && j + 1 < s.length() && Character.isLowSurrogate(s.charAt(j + 1))) {
                        sb.append(c).append(s.charAt(++j));
                    } else {
                        sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                    }
                }
                return sb.toString();
            }
        }
        return s;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
