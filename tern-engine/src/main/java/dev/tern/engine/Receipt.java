package dev.tern.engine;

import dev.tern.common.error.TernException;

/**
 * The handle of one popped message, for its ack or nack: which message and which hand-out of it (the
 * deadline and attempt name the hand-out, so a late ack of an earlier hand-out does not touch a later one).
 * {@link #toString()} is its text form on the wire; {@link #parse} reads it back.
 */
public record Receipt(String group, String topic, int queue, long offset, long deadline, int attempt) {

    @Override
    public String toString() {
        return group + " " + topic + " " + queue + " " + offset + " " + deadline + " " + attempt;
    }

    /** Reads the text form; INVALID_ARGUMENT when it is not one. */
    public static Receipt parse(String text) {
        String[] p = text == null ? new String[0] : text.split(" ");
        try {
            if (p.length != 6) throw new NumberFormatException("6 fields expected");
            return new Receipt(p[0], p[1], Integer.parseInt(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4]), Integer.parseInt(p[5]));
        } catch (NumberFormatException e) {
            throw TernException.invalid("not a receipt handle: '" + text + "'");
        }
    }
}
