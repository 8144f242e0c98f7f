package dev.tern.engine.sql;

import dev.tern.engine.sql.SqlNode.Condition;
import dev.tern.engine.sql.SqlNode.Operand;
import dev.tern.engine.sql.SqlToken.Kind;

import java.util.ArrayList;
import java.util.List;

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
 * Each parenthesis and each {@code NOT} is a level of nesting, at most {@link SqlLimits#maxDepth()} deep, so
 * the parser's recursion (and the evaluation's: a run of ANDs or ORs is one node) stays within a small stack.
 */
final class SqlParser {
    private final String text;
    private final List<SqlToken> tokens;
    private final SqlLimits limits;
    private int at;
    private int depth;

    private SqlParser(String text, SqlLimits limits) {
        this.text = text;
        this.limits = limits;
        this.tokens = SqlLexer.tokens(text);
    }

    static Condition parse(String text, SqlLimits limits) {
        SqlParser p = new SqlParser(text, limits);
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
        if (!peek().isKeyword("OR")) return c;
        List<Condition> any = new ArrayList<>();
        any.add(c);
        while (acceptKeyword("OR")) any.add(and());
        return new SqlNode.Or(List.copyOf(any));
    }

    private Condition and() {
        Condition c = not();
        if (!peek().isKeyword("AND")) return c;
        List<Condition> all = new ArrayList<>();
        all.add(c);
        while (acceptKeyword("AND")) all.add(not());
        return new SqlNode.And(List.copyOf(all));
    }

    private Condition not() {
        if (peek().isKeyword("NOT")) {
            enter();
            Condition c = new SqlNode.Not(not());
            depth--;
            return c;
        }
        return primary();
    }

    private Condition primary() {
        if (peek().kind() == Kind.LPAREN) {
            enter();
            Condition c = condition();
            if (peek().kind() != Kind.RPAREN) throw expected("')'");
            at++;
            depth--;
            return c;
        }
        return predicate(operand());
    }

    /** Takes the token that opens a level of nesting ('(' or NOT), refusing one level too many. */
    private void enter() {
        if (++depth > limits.maxDepth()) {
            throw SqlFilterException.at(text, peek().position(), "nesting deeper than " + limits.maxDepth()
                    + " levels (filter.sql.max.depth)");
        }
        at++;
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
            if (values.size() == limits.maxInValues()) {
                throw SqlFilterException.at(text, peek().position(), "an IN list of more than " + limits.maxInValues()
                        + " values (filter.sql.max.in.values)");
            }
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
        try {
            return new SqlNode.Like(left, LikePattern.compile(pattern.text(), escape), negated);
        } catch (IllegalArgumentException e) {
            throw SqlFilterException.at(text, pattern.position(), e.getMessage());
        }
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
