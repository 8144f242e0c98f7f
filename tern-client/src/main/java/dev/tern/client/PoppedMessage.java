package dev.tern.client;

/**
 * A message handed out by {@link PopConsumer#pop}: the message, and the receipt that acks or nacks it.
 *
 * @param attempt 1 for the first hand-out, then 2, 3... for redeliveries
 */
public record PoppedMessage(ReceivedMessage message, String receipt, int attempt) {

    static PoppedMessage of(ReceivedMessage m, String receipt) {
        int space = receipt.lastIndexOf(' ');
        int attempt;
        try {
            attempt = Integer.parseInt(receipt.substring(space + 1));
        } catch (NumberFormatException e) {
            attempt = 0;
        }
        return new PoppedMessage(m, receipt, attempt);
    }

    public String bodyAsString() {
        return message.bodyAsString();
    }
}
