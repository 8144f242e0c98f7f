package dev.tern.engine.sql;

import java.util.Locale;

/**
 * Comparison rules of SQL filters. Operand values are a property's text, a number literal ({@link Num}),
 * a string literal or a boolean. Two sides compare as numbers when both are numeric (a property whose
 * text is a number counts as numeric), as booleans when one is a boolean and the other reads as one, and
 * otherwise as strings. A missing property (null) makes any comparison unknown (null), as in SQL.
 */
final class SqlValue {

    /** A number literal, with its text for comparisons against non-numeric strings. */
    record Num(double value, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private SqlValue() {
    }

    /** The number that {@code text} spells, or null when it is not one. */
    static Double number(String text) {
        if (text.isEmpty()) return null;
        char c = text.charAt(0);
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) return null;
        for (int i = 0; i < text.length(); i++) {
            char d = text.charAt(i);
            if (!(Character.isDigit(d) || d == '.' || d == '-' || d == '+' || d == 'e' || d == 'E')) return null;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double numeric(Object v) {
        if (v instanceof Num n) return n.value();
        if (v instanceof String s) return number(s.strip());
        return null;
    }

    private static Boolean bool(Object v) {
        if (v instanceof Boolean b) return b;
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.equals("true")) return Boolean.TRUE;
            if (t.equals("false")) return Boolean.FALSE;
        }
        return null;
    }

    /**
     * Compares {@code a} with {@code b}: negative, zero or positive; null when unknown (a missing side, or
     * an ordering asked of booleans, where only equality is defined: {@code orderOnly}).
     */
    static Integer compare(Object a, Object b, boolean ordering) {
        if (a == null || b == null) return null;
        Double x = numeric(a), y = numeric(b);
        if (x != null && y != null) return Double.compare(x, y);
        if (a instanceof Boolean || b instanceof Boolean) {
            Boolean p = bool(a), q = bool(b);
            if (p == null || q == null) return ordering ? null : 1;
            return ordering ? null : Boolean.compare(p, q);
        }
        return a.toString().compareTo(b.toString());
    }

    /** A value's truth when it stands alone as a condition: booleans and "true"/"false" texts; else unknown. */
    static Boolean truth(Object v) {
        return bool(v);
    }
}
