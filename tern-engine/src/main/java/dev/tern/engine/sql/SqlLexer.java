package dev.tern.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a SQL filter into {@link SqlToken}s. Identifiers are letters, digits, {@code _}, {@code $} and
 * {@code .} (so {@code region.code} is one property name), or any text in double quotes; strings are in
 * single quotes with {@code ''} for a quote; numbers are decimal, with an optional fraction and exponent.
 */
final class SqlLexer {
    static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "ESCAPE", "IS", "NULL", "TRUE", "FALSE");

    private final String text;
    private int at;

    private SqlLexer(String text) {
        this.text = text;
    }

    static List<SqlToken> tokens(String text) {
        SqlLexer lexer = new SqlLexer(text);
        List<SqlToken> out = new ArrayList<>();
        SqlToken t;
        do {
            t = lexer.next();
            out.add(t);
        } while (t.kind() != SqlToken.Kind.END);
        return out;
    }

    private SqlToken next() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
        int start = at;
        if (at >= text.length()) return new SqlToken(SqlToken.Kind.END, "", start);
        char c = text.charAt(at);
        if (c == '\'') return quoted('\'', SqlToken.Kind.STRING, "a string");
        if (c == '"') return quoted('"', SqlToken.Kind.IDENTIFIER, "a quoted name");
        if (Character.isDigit(c) || (c == '.' && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1)))) return number();
        if (Character.isLetter(c) || c == '_' || c == '$') return word();
        at++;
        switch (c) {
            case '(' -> { return new SqlToken(SqlToken.Kind.LPAREN, "(", start); }
            case ')' -> { return new SqlToken(SqlToken.Kind.RPAREN, ")", start); }
            case ',' -> { return new SqlToken(SqlToken.Kind.COMMA, ",", start); }
            case '=', '-', '+' -> { return new SqlToken(SqlToken.Kind.OPERATOR, String.valueOf(c), start); }
            case '<', '>', '!' -> { return comparison(c, start); }
            default -> throw SqlFilterException.at(text, start, "unexpected character '" + c + "'");
        }
    }

    private SqlToken comparison(char first, int start) {
        char second = at < text.length() ? text.charAt(at) : 0;
        if (second == '=' || (first == '<' && second == '>')) {
            at++;
            String op = "" + first + second;
            return new SqlToken(SqlToken.Kind.OPERATOR, op.equals("!=") ? "<>" : op, start);
        }
        if (first == '!') throw SqlFilterException.at(text, start, "'!' must be followed by '='");
        return new SqlToken(SqlToken.Kind.OPERATOR, String.valueOf(first), start);
    }

    private SqlToken quoted(char quote, SqlToken.Kind kind, String what) {
        int start = at++;
        StringBuilder value = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c != quote) {
                value.append(c);
            } else if (at < text.length() && text.charAt(at) == quote) {
                value.append(quote);
                at++;
            } else {
                return new SqlToken(kind, value.toString(), start);
            }
        }
        throw SqlFilterException.at(text, start, what + " that is never closed");
    }

    private SqlToken number() {
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) at++;
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) at++;
            while (at < text.length() && Character.isDigit(text.charAt(at))) at++;
        }
        String n = text.substring(start, at);
        if (SqlValue.number(n) == null) throw SqlFilterException.at(text, start, "a malformed number '" + n + "'");
        return new SqlToken(SqlToken.Kind.NUMBER, n, start);
    }

    private SqlToken word() {
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '$' && c != '.') break;
            at++;
        }
        String w = text.substring(start, at);
        String upper = w.toUpperCase(Locale.ROOT);
        return KEYWORDS.contains(upper) ? new SqlToken(SqlToken.Kind.KEYWORD, upper, start) : new SqlToken(SqlToken.Kind.IDENTIFIER, w, start);
    }
}
