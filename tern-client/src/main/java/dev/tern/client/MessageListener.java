package dev.tern.client;

/**
 * Receives messages in push mode ({@link Consumer#start}), one at a time, in order per queue, on the
 * consumer's dispatch thread. A message counts as consumed (and its offset is committed) once this method
 * returns; when it throws, the message and the rest of its queue are delivered again after a pause.
 */
@FunctionalInterface
public interface MessageListener {
    void onMessage(ReceivedMessage message) throws Exception;
}
