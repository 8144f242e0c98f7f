package dev.tern.protocol.server;

import dev.tern.common.message.Message;
import dev.tern.common.message.StoredMessage;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PendingTransaction;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.TransactionConfig;
import dev.tern.engine.Transactions;
import dev.tern.protocol.FrameType;
import dev.tern.protocol.Request;
import dev.tern.protocol.Response;
import dev.tern.protocol.fixture.RawConnection;
import dev.tern.protocol.fixture.ServerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** TXN_PREPARE, TXN_END, TXN_CHECK_POLL and TXN_LIST over real sockets against a real server (real time, short check timeout). */
@Timeout(60)
class TxnRequestsTest {
    @TempDir
    Path dir;
    private ServerFixture node;
    private RawConnection c;

    @BeforeEach
    void setUp() throws IOException {
        node = ServerFixture.start(dir, EngineConfig.defaults().withTransactions(new TransactionConfig(300, 60_000, 3, 600_000)),
                NativeServerConfig.ephemeral(), UnaryOperator.identity());
        c = new RawConnection(node.port());
        c.call(1, new Request.CreateTopic("t", 1, Map.of()));
    }

    @AfterEach
    void tearDown() throws IOException {
        c.close();
        node.close();
    }

    private List<String> bodies() throws IOException {
        Response.Pulled p = (Response.Pulled) c.call(99, new Request.Pull("t", 0, 0, 100, 1 << 20, 0, null));
        return p.messages().stream().map(StoredMessage::bodyAsString).toList();
    }

    @Test
    void aPreparedBatchIsListedNotPulledAndStoredByItsCommit() throws IOException {
        Response.TxnPrepared prepared = (Response.TxnPrepared) c.call(2, new Request.TxnPrepare("shop", "t", QueueTarget.queue(0), null,
                List.of(Message.of("a"), Message.of("b"))));
        assertThat(bodies()).isEmpty();
        Response.PendingTransactions listed = (Response.PendingTransactions) c.call(3, new Request.TxnList(null, 10));
        assertThat(listed.type()).isEqualTo(FrameType.TXN_LIST_RESPONSE);
        assertThat(listed.transactions()).extracting(PendingTransaction::id).containsExactly(prepared.transactionId());
        assertThat(listed.transactions().getFirst().messages()).hasSize(2);

        Response.TxnEnded ended = (Response.TxnEnded) c.call(4, new Request.TxnEnd(prepared.transactionId(), Transactions.Outcome.COMMIT));
        assertThat(ended.results()).extracting(r -> r.queueOffset()).containsExactly(0L, 1L);
        assertThat(bodies()).containsExactly("a", "b");
        assertThat(((Response.PendingTransactions) c.call(5, new Request.TxnList("shop", 10))).transactions()).isEmpty();
    }

    @Test
    void aCheckPollWaitsUntilATransactionIsOldEnoughAndARollbackStoresNothing() throws IOException {
        Response.TxnPrepared prepared = (Response.TxnPrepared) c.call(2, new Request.TxnPrepare("shop", "t", QueueTarget.roundRobin(), null,
                List.of(Message.of("x"))));
        Response.PendingTransactions due = (Response.PendingTransactions) c.call(3, new Request.TxnCheckPoll("shop", 10, 20_000));
        assertThat(due.type()).isEqualTo(FrameType.TXN_CHECK_POLL_RESPONSE);
        assertThat(due.transactions()).extracting(PendingTransaction::id, PendingTransaction::checks).containsExactly(
                org.assertj.core.groups.Tuple.tuple(prepared.transactionId(), 1));
        Response.TxnEnded ended = (Response.TxnEnded) c.call(4, new Request.TxnEnd(prepared.transactionId(), Transactions.Outcome.ROLLBACK));
        assertThat(ended.results()).isEmpty();
        assertThat(bodies()).isEmpty();
        Response.PendingTransactions none = (Response.PendingTransactions) c.call(5, new Request.TxnCheckPoll("shop", 10, 0));
        assertThat(none.transactions()).isEmpty();
    }
}
