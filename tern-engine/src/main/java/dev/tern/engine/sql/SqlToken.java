package dev.tern.engine.sql;

/**
 * One token of a SQL filter: its kind, its text (a string literal's value without quotes, a keyword in
 * upper case) and where it starts (0-based character position, for error messages).
 */
record SqlToken(Kind kind, String text, int position) {

    enum Kind { IDENTIFIER, KEYWORD, STRING, NUMBER, OPERATOR, LPAREN, RPAREN, COMMA, END }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isKeyword(String word) {
        return is(Kind.KEYWORD, word);
    }

    String describe() {
        return switch (kind) {
            case END -> "the end";
            case STRING -> "'" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
