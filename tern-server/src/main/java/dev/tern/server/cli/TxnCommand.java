package dev.tern.server.cli;

import dev.tern.client.CheckedTransaction;
import dev.tern.client.TernClient;
import dev.tern.engine.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code tern txn list [--group G] [--max N]}, {@code tern txn commit ID}, {@code tern txn rollback ID}: pending
 * transactional messages, and ending one by hand when its producer cannot (an operator's decision).
 */
@Command(name = "txn", description = "List pending transactional messages, or commit or roll one back by hand.")
final class TxnCommand {

    @Command(name = "list", description = "Print each pending transaction, oldest first: id, producer group, topic/queue, prepare time,"
            + " check-backs so far, state, first message body.")
    int list(@Mixin ServerOption server,
             @Option(names = "--group", paramLabel = "GROUP", description = "only this producer group's transactions") String group,
             @Option(names = "--max", paramLabel = "N", defaultValue = "100", description = "at most this many (1-1000; default: ${DEFAULT-VALUE})") int max) {
        try (TernClient c = server.connect()) {
            for (CheckedTransaction t : c.admin().pendingTransactions(group, max)) {
                String first = t.messages().isEmpty() ? "" : new String(t.message().body(), StandardCharsets.UTF_8);
                System.out.printf("%s\t%s\t%s/%d\t%s\tchecks=%d\t%s\tmessages=%d\t%s%n", t.transactionId(), t.producerGroup(), t.topic(), t.queue(),
                        Instant.ofEpochMilli(t.prepareTimeMs()), t.checks(), t.committing() ? "committing" : "prepared", t.messages().size(), first);
            }
        }
        return 0;
    }

    @Command(name = "commit", description = "Commit a pending transaction: its messages become visible. Prints where each was stored.")
    int commit(@Mixin ServerOption server, @Parameters(paramLabel = "ID") String id) {
        try (TernClient c = server.connect()) {
            for (SendResult r : c.admin().commitTransaction(id)) {
                System.out.printf("%s\t%d\t%d\t%s%n", r.topic(), r.queue(), r.queueOffset(), r.messageId());
            }
        }
        System.err.println("committed " + id);
        return 0;
    }

    @Command(name = "rollback", description = "Roll back a pending transaction: its messages are dropped, never delivered.")
    int rollback(@Mixin ServerOption server, @Parameters(paramLabel = "ID") String id) {
        try (TernClient c = server.connect()) {
            c.admin().rollbackTransaction(id);
        }
        System.err.println("rolled back " + id);
        return 0;
    }
}
