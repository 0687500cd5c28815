package dev.dvemu.server.api.query;

import dev.dvemu.server.error.DataverseError;

/**
 * Bounds on query expressions, checked on the raw text before Olingo's recursive-descent parser or the filter
 * translator see it: a $filter nested a thousand parentheses deep would otherwise overflow the request thread's
 * stack. Real queries stay far inside the limits (a 32 KB URL holds a few hundred conditions; a batch part's 64 KB
 * a few thousand of the shortest), and the translator joins long and/or chains without recursion.
 */
public final class ExpressionLimits {
    /** Levels of parentheses plus directly nested {@code not}s. */
    static final int MAX_DEPTH = 64;
    /** Conditions joined by {@code and} / {@code or} in one expression. */
    public static final int MAX_CONDITIONS = 5_000;

    private ExpressionLimits() {
    }

    /** Refuses an option value nested or joined beyond the limits, with a 400 naming the option. */
    public static void check(String option, String expression) {
        int depth = 0;
        int maxDepth = 0;
        int conditions = 1;
        int nots = 0;
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '\'') {
                i = afterLiteral(expression, i);
                continue;
            }
            if (c == '(') {
                depth++;
                nots = 0;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (Character.isLetter(c) && (i == 0 || !isWordChar(expression.charAt(i - 1)))) {
                int end = i;
                while (end < n && isWordChar(expression.charAt(end))) {
                    end++;
                }
                String word = expression.substring(i, end);
                if (word.equals("and") || word.equals("or")) {
                    conditions++;
                    nots = 0;
                } else if (word.equals("not")) {
                    nots++;
                } else {
                    nots = 0;
                }
                maxDepth = Math.max(maxDepth, depth + nots);
                i = end;
                continue;
            }
            maxDepth = Math.max(maxDepth, depth + nots);
            i++;
        }
        if (maxDepth > MAX_DEPTH) {
            throw DataverseError.BAD_URI.exception("The " + option + " expression is nested more than " + MAX_DEPTH
                    + " levels deep (parentheses and 'not'); simplify it.");
        }
        if (conditions > MAX_CONDITIONS) {
            throw DataverseError.BAD_URI.exception("The " + option + " expression joins more than " + MAX_CONDITIONS
                    + " conditions with 'and' or 'or'; split the query.");
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    /** The index after the literal starting at {@code quote}; {@code ''} inside it is an escaped quote. */
    private static int afterLiteral(String s, int quote) {
        int i = quote + 1;
        while (i < s.length()) {
            if (s.charAt(i) == '\'') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }
}
