package dev.tern.engine.sql;

import dev.tern.engine.sql.SqlNode.Condition;
import dev.tern.engine.sql.SqlNode.Operand;
import dev.tern.engine.sql.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser for SQL-92 filter conditions, one method per rule:
 * <pre>
 * condition := and ( OR and )*
 * and       := not ( AND not )*
 * not       := NOT not | primary
 * primary   := '(' condition ')' | operand [ predicate ]
 * predicate := cmp operand | [NOT] IN '(' operand (',' operand)* ')' | [NOT] BETWEEN operand AND operand
 *            | [NOT] LIKE string [ESCAPE string] | IS [NOT] NULL
 * operand   := property | "quoted name" | number | -number | 'string' | TRUE | FALSE
 * cmp       := = | &lt;&gt; | != | &lt; | &lt;= | &gt; | &gt;=
 * </pre>
 */
final class SqlParser {
    private final String text;
    private final List<SqlToken> tokens;
    private int at;

    private SqlParser(String text) {
        this.text = text;
        this.tokens = SqlLexer.tokens(text);
    }

    static Condition parse(String text) {
        SqlParser p = new SqlParser(text);
        if (p.peek().kind() == Kind.END) throw SqlFilterException.at(text, 0, "an empty condition");
        Condition c = p.condition();
        if (p.peek().kind() != Kind.END) throw p.expected("AND, OR or the end");
        return c;
    }

    private SqlToken peek() {
        return tokens.get(at);
    }

    private SqlToken take() {
        return tokens.get(at++);
    }

    private boolean acceptKeyword(String word) {
        if (!peek().isKeyword(word)) return false;
        at++;
        return true;
    }

    private RuntimeException expected(String what) {
        SqlToken t = peek();
        return SqlFilterException.at(text, t.position(), "expected " + what + " but found " + t.describe());
    }

    private Condition condition() {
        Condition c = and();
        while (acceptKeyword("OR")) c = new SqlNode.Or(c, and());
        return c;
    }

    private Condition and() {
        Condition c = not();
        while (acceptKeyword("AND")) c = new SqlNode.And(c, not());
        return c;
    }

    private Condition not() {
        if (acceptKeyword("NOT")) return new SqlNode.Not(not());
        return primary();
    }

    private Condition primary() {
        if (peek().kind() == Kind.LPAREN) {
            at++;
            Condition c = condition();
            if (peek().kind() != Kind.RPAREN) throw expected("')'");
            at++;
            return c;
        }
        return predicate(operand());
    }

    private Condition predicate(Operand left) {
        SqlToken t = peek();
        if (t.kind() == Kind.OPERATOR && !t.text().equals("-") && !t.text().equals("+")) {
            at++;
            return new SqlNode.Compare(left, t.text(), operand());
        }
        if (acceptKeyword("IS")) {
            boolean negated = acceptKeyword("NOT");
            if (!acceptKeyword("NULL")) throw expected("NULL");
            return new SqlNode.IsNull(left, negated);
        }
        boolean negated = acceptKeyword("NOT");
        if (acceptKeyword("IN")) return in(left, negated);
        if (acceptKeyword("BETWEEN")) {
            Operand low = operand();
            if (!acceptKeyword("AND")) throw expected("AND");
            return new SqlNode.Between(left, low, operand(), negated);
        }
        if (acceptKeyword("LIKE")) return like(left, negated);
        if (negated) throw expected("IN, BETWEEN or LIKE after NOT");
        return new SqlNode.Truth(left);
    }

    private Condition in(Operand left, boolean negated) {
        if (peek().kind() != Kind.LPAREN) throw expected("'(' after IN");
        at++;
        List<Operand> values = new ArrayList<>();
        values.add(operand());
        while (peek().kind() == Kind.COMMA) {
            at++;
            values.add(operand());
        }
        if (peek().kind() != Kind.RPAREN) throw expected("',' or ')'");
        at++;
        return new SqlNode.In(left, List.copyOf(values), negated);
    }

    private Condition like(Operand left, boolean negated) {
        if (peek().kind() != Kind.STRING) throw expected("a string pattern after LIKE");
        SqlToken pattern = take();
        Character escape = null;
        if (acceptKeyword("ESCAPE")) {
            SqlToken e = peek();
            if (e.kind() != Kind.STRING || e.text().length() != 1) throw expected("a one-character string after ESCAPE");
            escape = take().text().charAt(0);
        }
        return new SqlNode.Like(left, likePattern(pattern, escape), negated);
    }

    /** LIKE to a regular expression: % is any run, _ any one character, the rest literal. */
    private Pattern likePattern(SqlToken pattern, Character escape) {
        String p = pattern.text();
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (escape != null && c == escape) {
                if (++i >= p.length()) throw SqlFilterException.at(text, pattern.position(), "a LIKE pattern ending in its escape character");
                regex.append(Pattern.quote(String.valueOf(p.charAt(i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private Operand operand() {
        SqlToken t = peek();
        switch (t.kind()) {
            case IDENTIFIER -> {
                at++;
                return new SqlNode.Property(t.text());
            }
            case STRING -> {
                at++;
                return new SqlNode.Literal(t.text());
            }
            case NUMBER -> {
                at++;
                return new SqlNode.Literal(new SqlValue.Num(Double.parseDouble(t.text()), t.text()));
            }
            case OPERATOR -> {
                if ((t.text().equals("-") || t.text().equals("+")) && tokens.get(at + 1).kind() == Kind.NUMBER) {
                    at++;
                    String n = (t.text().equals("-") ? "-" : "") + take().text();
                    return new SqlNode.Literal(new SqlValue.Num(Double.parseDouble(n), n));
                }
            }
            case KEYWORD -> {
                if (t.text().equals("TRUE") || t.text().equals("FALSE")) {
                    at++;
                    return new SqlNode.Literal(Boolean.valueOf(t.text().equals("TRUE")));
                }
            }
            default -> {
            }
        }
        throw expected("a property, a number, a string, TRUE or FALSE");
    }
}
