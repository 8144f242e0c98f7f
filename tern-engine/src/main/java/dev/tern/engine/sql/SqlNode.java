package dev.tern.engine.sql;

import java.util.List;
import java.util.function.Function;

/**
 * The parsed form of a SQL filter. Conditions evaluate to TRUE, FALSE or null (unknown) with SQL's
 * three-valued logic; a message matches only when its condition is TRUE. Operands evaluate to a value
 * for {@link SqlValue#compare}.
 */
sealed interface SqlNode {

    /** Something that has a value: a property or a literal. */
    sealed interface Operand extends SqlNode permits Property, Literal {
        Object value(Function<String, String> properties);
    }

    /** Something that is true, false or unknown. */
    sealed interface Condition extends SqlNode permits And, Or, Not, Compare, In, Between, Like, IsNull, Truth {
        Boolean test(Function<String, String> properties);
    }

    record Property(String name) implements Operand {
        public Object value(Function<String, String> p) {
            return p.apply(name);
        }
    }

    record Literal(Object constant) implements Operand {
        public Object value(Function<String, String> p) {
            return constant;
        }
    }

    /** Two or more conditions joined by AND, as one node: a long run of ANDs nests no deeper than one. */
    record And(List<Condition> all) implements Condition {
        public Boolean test(Function<String, String> p) {
            boolean unknown = false;
            for (Condition c : all) {
                Boolean v = c.test(p);
                if (Boolean.FALSE.equals(v)) return false;
                if (v == null) unknown = true;
            }
            return unknown ? null : true;
        }
    }

    /** Two or more conditions joined by OR, as one node. */
    record Or(List<Condition> any) implements Condition {
        public Boolean test(Function<String, String> p) {
            boolean unknown = false;
            for (Condition c : any) {
                Boolean v = c.test(p);
                if (Boolean.TRUE.equals(v)) return true;
                if (v == null) unknown = true;
            }
            return unknown ? null : false;
        }
    }

    record Not(Condition inner) implements Condition {
        public Boolean test(Function<String, String> p) {
            Boolean v = inner.test(p);
            return v == null ? null : !v;
        }
    }

    /** {@code op} is one of = &lt;&gt; &lt; &lt;= &gt; &gt;=. */
    record Compare(Operand left, String op, Operand right) implements Condition {
        public Boolean test(Function<String, String> p) {
            boolean ordering = !op.equals("=") && !op.equals("<>");
            Integer c = SqlValue.compare(left.value(p), right.value(p), ordering);
            if (c == null) return null;
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }

    record In(Operand left, List<Operand> values, boolean negated) implements Condition {
        public Boolean test(Function<String, String> p) {
            Object v = left.value(p);
            if (v == null) return null;
            boolean found = false;
            for (Operand o : values) {
                Integer c = SqlValue.compare(v, o.value(p), false);
                if (c != null && c == 0) {
                    found = true;
                    break;
                }
            }
            return found != negated;
        }
    }

    record Between(Operand value, Operand low, Operand high, boolean negated) implements Condition {
        public Boolean test(Function<String, String> p) {
            Object v = value.value(p);
            Integer lo = SqlValue.compare(v, low.value(p), true), hi = SqlValue.compare(v, high.value(p), true);
            if (lo == null || hi == null) return null;
            return (lo >= 0 && hi <= 0) != negated;
        }
    }

    /** {@code pattern} is compiled once, at parse time, and matches in linear time ({@link LikePattern}). */
    record Like(Operand value, LikePattern pattern, boolean negated) implements Condition {
        public Boolean test(Function<String, String> p) {
            Object v = value.value(p);
            if (v == null) return null;
            return pattern.matches(v.toString()) != negated;
        }
    }

    record IsNull(Operand value, boolean negated) implements Condition {
        public Boolean test(Function<String, String> p) {
            return (value.value(p) == null) != negated;
        }
    }

    /** An operand standing alone as a condition: TRUE, FALSE, or a property holding "true"/"false". */
    record Truth(Operand value) implements Condition {
        public Boolean test(Function<String, String> p) {
            return SqlValue.truth(value.value(p));
        }
    }
}
