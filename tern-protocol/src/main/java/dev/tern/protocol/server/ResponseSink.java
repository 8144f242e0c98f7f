package dev.tern.protocol.server;

import dev.tern.engine.PullResult;
import dev.tern.protocol.Response;

import java.util.concurrent.CompletableFuture;

/**
 * Where the answer to one request goes. Exactly one method is called, once, from any thread.
 */
interface ResponseSink {

    void reply(Response response);

    /** A pull result, sent without copying its records; the sink closes it once written. */
    void records(PullResult result);

    /** A failure: a TernException's code and message, anything else as INTERNAL. */
    void error(Throwable failure);

    /** An engine call that may wait long (a long-polling pull): cancelled if the connection closes first. */
    default void cancelOnClose(CompletableFuture<?> call) {
    }
}
