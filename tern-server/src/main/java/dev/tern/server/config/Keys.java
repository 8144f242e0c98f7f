package dev.tern.server.config;

import dev.tern.store.api.Durability;

import java.util.List;

/** Every configuration key of a Tern node, with its default and meaning. */
public final class Keys {
    private Keys() {
    }

    public static final ConfigKey<String> DATA_DIR = ConfigKey.string("data.dir", "./data", "where the node keeps its data");
    public static final ConfigKey<String> BIND_HOST = ConfigKey.string("bind.host", "127.0.0.1", "address every listener binds to");
    public static final ConfigKey<Integer> NATIVE_PORT = ConfigKey.port("native.port", 7600, "native protocol port");
    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.port("http.port", 7680, "HTTP port: /metrics (Prometheus), /health");
    public static final ConfigKey<Integer> NATIVE_MAX_FRAME_BYTES = ConfigKey.intKey("native.max.frame.bytes", 16 << 20, 1024, 1 << 30,
            "largest native-protocol frame accepted; a longer one closes the connection");
    public static final ConfigKey<Long> NATIVE_IDLE_TIMEOUT_MS = ConfigKey.longKey("native.idle.timeout.ms", 60_000, 100,
            "a native connection that sends nothing for this long is closed (clients ping meanwhile)");
    public static final ConfigKey<Integer> NATIVE_MAX_CONNECTIONS = ConfigKey.intKey("native.max.connections", 10_000, 1, 10_000_000,
            "native connections open at once; one more gets an ERROR LIMIT_EXCEEDED and is closed before anything is read");
    public static final ConfigKey<Long> NATIVE_MAX_INFLIGHT_BYTES = ConfigKey.longKey("native.max.inflight.bytes", 64L << 20, 64 * 1024,
            "request bytes one native connection may hold unanswered (1 KiB more per request); past it the server stops reading it until replies go out");
    public static final ConfigKey<Long> NATIVE_MAX_INFLIGHT_BYTES_TOTAL = ConfigKey.longKey("native.max.inflight.bytes.total", 64L << 20, 64 * 1024,
            "the same over all native connections (at least native.max.inflight.bytes)");
    public static final ConfigKey<Durability> STORE_FLUSH = new ConfigKey<>("store.flush", "async",
            "default flush of appends: async (page cache, flushed every store.flush.interval.ms) or sync (fsync before the reply, group commit)",
            s -> Durability.valueOf(s.toUpperCase()), d -> true, "async or sync");
    public static final ConfigKey<Long> STORE_SEGMENT_BYTES = ConfigKey.longKey("store.segment.bytes", 1L << 30, 64 * 1024, "size of one commit-log segment");
    public static final ConfigKey<Integer> STORE_MAX_MESSAGE_BYTES = ConfigKey.intKey("store.max.message.bytes", 4 << 20, 1024, Integer.MAX_VALUE,
            "largest encoded message accepted");
    public static final ConfigKey<Long> STORE_FLUSH_INTERVAL_MS = ConfigKey.longKey("store.flush.interval.ms", 500, 1, "how often async appends are forced to disk");
    public static final ConfigKey<Long> STORE_CHECKPOINT_INTERVAL_MS = ConfigKey.longKey("store.checkpoint.interval.ms", 1000, 1,
            "how often the recovery checkpoint advances (recovery re-reads about this much of the log)");
    public static final ConfigKey<Integer> STORE_QUEUE_ENTRIES_PER_FILE = ConfigKey.intKey("store.queue.entries.per.file", 1_000_000, 16, 50_000_000,
            "consume-queue entries per file (32 bytes each)");
    public static final ConfigKey<Long> STORE_RETENTION_MS = ConfigKey.longOrMinusOne("store.retention.ms", 72L * 3600 * 1000,
            "delete sealed log segments older than this; -1 keeps forever");
    public static final ConfigKey<Long> STORE_RETENTION_BYTES = ConfigKey.longOrMinusOne("store.retention.bytes", -1,
            "delete the oldest log segments while the log is larger; -1 for no limit");
    public static final ConfigKey<Long> STORE_RETENTION_CHECK_MS = ConfigKey.longKey("store.retention.check.ms", 60_000, 10, "how often retention runs");
    public static final ConfigKey<Boolean> STORE_VERIFY_ON_OPEN = ConfigKey.bool("store.verify.on.open", false,
            "check the CRC of every record of the whole log at start (false: only what was written since the last checkpoint; reads check the rest)");
    public static final ConfigKey<Long> STORE_MAX_PENDING_BYTES = ConfigKey.longKey("store.max.pending.bytes", 256L << 20, 1 << 20,
            "bytes of appends that may wait for the store's writer; more are refused with OVERLOADED (retriable) instead of queuing without bound");
    public static final ConfigKey<Boolean> TOPIC_AUTO_CREATE = ConfigKey.bool("topic.auto.create", false, "create a topic on its first send");
    public static final ConfigKey<Integer> TOPIC_AUTO_CREATE_QUEUES = ConfigKey.intKey("topic.auto.create.queues", 4, 1, 1024, "queues of an auto-created topic");
    public static final ConfigKey<Integer> TOPIC_MAX_COUNT = ConfigKey.intKey("topic.max.count", 10_000, 1, 10_000_000,
            "topics on the node; creating one more (explicitly, on first send, by MQTT) fails with LIMIT_EXCEEDED");
    public static final ConfigKey<Integer> TOPIC_MAX_QUEUES = ConfigKey.intKey("topic.max.queues", 1024, 1, 1024,
            "queues of one topic; a topic asking more is refused with LIMIT_EXCEEDED");
    public static final ConfigKey<Integer> PULL_MAX_WAITING = ConfigKey.intKey("pull.max.waiting", 100_000, 1, 10_000_000,
            "pulls, pops and transaction check polls waiting at once for messages; one more that would wait fails with LIMIT_EXCEEDED");
    public static final ConfigKey<Integer> METRICS_MAX_TAG_VALUES = ConfigKey.intKey("metrics.max.tag.values", 10_000, 1, 10_000_000,
            "topics, and groups, that get meters of their own; the others are counted under the tag value _other");
    public static final ConfigKey<Long> GROUP_SESSION_TIMEOUT_MS = ConfigKey.longKey("group.session.timeout.ms", 10_000, 100,
            "a consumer missing heartbeats this long leaves its group");
    public static final ConfigKey<Long> PULL_MAX_WAIT_MS = ConfigKey.longKey("pull.max.wait.ms", 30_000, 0, "the longest a pull or a pop may wait for new messages");
    public static final ConfigKey<Long> DELAY_MAX_MS = ConfigKey.longKey("delay.max.ms", 40L * 24 * 3600 * 1000, 1,
            "how far ahead a delayed message may be due (40 days); later delivery times are refused");
    public static final ConfigKey<Integer> ACK_MAX_ATTEMPTS = ConfigKey.intKey("ack.max.attempts", 16, 1, 1000,
            "hand-outs of a popped message before it goes to the group's dead-letter topic %DLQ%<group>");
    public static final ConfigKey<Long> ACK_RETRY_BACKOFF_MS = ConfigKey.longKey("ack.retry.backoff.ms", 1000, 0,
            "wait before a nacked message comes back, doubled per attempt up to 10 minutes");
    public static final ConfigKey<Long> TXN_CHECK_TIMEOUT_MS = ConfigKey.longKey("txn.check.timeout.ms", 6_000, 0,
            "a transaction not ended this long after its prepare is offered to its producer group for a check-back");
    public static final ConfigKey<Long> TXN_CHECK_INTERVAL_MS = ConfigKey.longKey("txn.check.interval.ms", 10_000, 1,
            "the wait before an unanswered check-back of the same transaction is offered again");
    public static final ConfigKey<Integer> TXN_CHECK_MAX = ConfigKey.intKey("txn.check.max", 15, 1, 1_000_000,
            "check-backs without an outcome before the broker rolls the transaction back itself");
    public static final ConfigKey<Long> TXN_MAX_AGE_MS = ConfigKey.longKey("txn.max.age.ms", 3_600_000, 1,
            "a transaction still pending this long after its prepare is rolled back, even if never checked (must exceed txn.check.timeout.ms)");
    public static final ConfigKey<Integer> TXN_MAX_PENDING = ConfigKey.intKey("txn.max.pending", 10_000, 1, 10_000_000,
            "transactions of one producer group prepared and not yet ended; one more prepare fails with LIMIT_EXCEEDED");
    public static final ConfigKey<Integer> FILTER_MAX_LENGTH = ConfigKey.intKey("filter.max.length", 8192, 16, 1 << 24,
            "characters of a pull's filter (tags and SQL condition); a longer one is refused with INVALID_ARGUMENT");
    public static final ConfigKey<Integer> FILTER_SQL_MAX_DEPTH = ConfigKey.intKey("filter.sql.max.depth", 64, 1, 1000,
            "nesting of a SQL filter condition (each parenthesis and NOT a level); a deeper one is refused with INVALID_ARGUMENT");
    public static final ConfigKey<Integer> FILTER_SQL_MAX_IN_VALUES = ConfigKey.intKey("filter.sql.max.in.values", 1000, 1, 1_000_000,
            "values of one IN (...) list of a SQL filter; a longer list is refused with INVALID_ARGUMENT");
    public static final ConfigKey<Long> PRODUCER_DEDUP_EXPIRY_MS = ConfigKey.longKey("producer.dedup.expiry.ms", 24L * 3600 * 1000, 1000,
            "an idempotent producer's de-duplication state for a queue is removed once it has stored nothing there for this long (1 day)");
    public static final ConfigKey<Long> PRODUCER_DEDUP_CACHE_BYTES = ConfigKey.longKey("producer.dedup.cache.bytes", 32L << 20, 0,
            "heap for idempotent producers' state; beyond it the least recently used is read back from the metadata area when needed");
    public static final ConfigKey<Integer> GROUP_MAX_MEMBERS = ConfigKey.intKey("group.max.members", 10_000, 1, 10_000_000,
            "live members of one consumer group; one more join fails with LIMIT_EXCEEDED");
    public static final ConfigKey<Integer> GROUP_MAX_SUBSCRIPTIONS = ConfigKey.intKey("group.max.subscriptions", 100_000, 1, 100_000_000,
            "live (member, topic) subscriptions over all consumer groups of the node; a join past it fails with LIMIT_EXCEEDED");
    public static final ConfigKey<Integer> MQTT_PORT = ConfigKey.portOrOff("mqtt.port", 1883, "MQTT 3.1.1/5.0 over TCP; -1 turns MQTT off");
    public static final ConfigKey<Integer> MQTT_WS_PORT = ConfigKey.portOrOff("mqtt.ws.port", 8083, "MQTT over WebSocket (path mqtt.ws.path); -1 turns it off");
    public static final ConfigKey<String> MQTT_WS_PATH = ConfigKey.string("mqtt.ws.path", "/mqtt", "the WebSocket path of MQTT");
    public static final ConfigKey<String> MQTT_AUTH_USERS = ConfigKey.optionalString("mqtt.auth.users", "",
            "MQTT credentials user:password,...; empty allows anonymous clients");
    public static final ConfigKey<Integer> MQTT_TOPIC_QUEUES = ConfigKey.intKey("mqtt.topic.queues", 4, 1, 1024,
            "queues of a Tern topic the MQTT gateway creates for a new first topic level");
    public static final ConfigKey<Boolean> MQTT_TOPIC_AUTO_CREATE = ConfigKey.bool("mqtt.topic.auto.create", true,
            "an MQTT publish or subscribe to a first level without a Tern topic creates it (through the engine); false refuses it");
    public static final ConfigKey<Integer> MQTT_RETAINED_MAX_COUNT = ConfigKey.intKey("mqtt.retained.max.count", 100_000, 0, Integer.MAX_VALUE,
            "retained MQTT messages kept at most; a retained publish beyond it is refused (5.0: 0x97)");
    public static final ConfigKey<Long> MQTT_RETAINED_MAX_BYTES = ConfigKey.longKey("mqtt.retained.max.bytes", 256L << 20, 0,
            "bytes of retained MQTT messages (payloads and topic names) kept at most; beyond it a retained publish is refused (5.0: 0x97)");
    public static final ConfigKey<Integer> MQTT_MAX_SUBSCRIPTIONS = ConfigKey.intKey("mqtt.max.subscriptions", 1_000, 1, 10_000_000,
            "subscriptions one MQTT session may hold; a SUBSCRIBE beyond it is refused (SUBACK 0x97 / 0x80)");
    public static final ConfigKey<Integer> MQTT_MAX_SESSIONS = ConfigKey.intKey("mqtt.max.sessions", 100_000, 0, 100_000_000,
            "persistent MQTT sessions kept (connected or not); a CONNECT making a new one beyond it is refused (CONNACK 0x97 / 0x03)");
    public static final ConfigKey<Integer> MQTT_MAX_PACKET_BYTES = ConfigKey.intKey("mqtt.max.packet.bytes", 1 << 20, 64, 256 << 20,
            "largest MQTT packet accepted; a longer one closes the connection (5.0: DISCONNECT 0x95)");
    public static final ConfigKey<Integer> MQTT_MAX_KEEPALIVE_SECONDS = ConfigKey.intKey("mqtt.max.keepalive.seconds", 3600, 1, 65535,
            "the longest keep-alive granted (5.0 clients asking more get it as server keep-alive)");
    public static final ConfigKey<Integer> MQTT_MAX_INFLIGHT = ConfigKey.intKey("mqtt.max.inflight", 100, 1, 65535,
            "QoS 1/2 messages in flight per MQTT client, each way (the 5.0 receive maximum)");
    public static final ConfigKey<Integer> MQTT_MAX_CONNECTIONS = ConfigKey.intKey("mqtt.max.connections", 10_000, 1, 10_000_000,
            "MQTT connections accepted at once");
    public static final ConfigKey<String> MQTT_CLIENT_ID_PATTERN = new ConfigKey<>("mqtt.client.id.pattern", ".*",
            "a regular expression every MQTT client id must match (ids the gateway assigns always do)", s -> {
                java.util.regex.Pattern.compile(s);
                return s;
            }, s -> true, "a regular expression");
    public static final ConfigKey<Integer> MQTT_SYS_INTERVAL_SECONDS = ConfigKey.intKey("mqtt.sys.interval.seconds", 10, 0, 86_400,
            "how often $SYS/broker/... statistics are published to MQTT subscribers; 0 never");

    public static final List<ConfigKey<?>> ALL = List.of(DATA_DIR, BIND_HOST, NATIVE_PORT, HTTP_PORT, NATIVE_MAX_FRAME_BYTES, NATIVE_IDLE_TIMEOUT_MS,
            NATIVE_MAX_CONNECTIONS, NATIVE_MAX_INFLIGHT_BYTES, NATIVE_MAX_INFLIGHT_BYTES_TOTAL, STORE_FLUSH,
            STORE_SEGMENT_BYTES, STORE_MAX_MESSAGE_BYTES, STORE_FLUSH_INTERVAL_MS, STORE_CHECKPOINT_INTERVAL_MS, STORE_QUEUE_ENTRIES_PER_FILE,
            STORE_RETENTION_MS, STORE_RETENTION_BYTES, STORE_RETENTION_CHECK_MS, STORE_VERIFY_ON_OPEN, STORE_MAX_PENDING_BYTES, TOPIC_AUTO_CREATE, TOPIC_AUTO_CREATE_QUEUES,
            TOPIC_MAX_COUNT, TOPIC_MAX_QUEUES, GROUP_SESSION_TIMEOUT_MS, PULL_MAX_WAIT_MS, PULL_MAX_WAITING, METRICS_MAX_TAG_VALUES,
            DELAY_MAX_MS, ACK_MAX_ATTEMPTS, ACK_RETRY_BACKOFF_MS, TXN_CHECK_TIMEOUT_MS, TXN_CHECK_INTERVAL_MS, TXN_CHECK_MAX, TXN_MAX_AGE_MS,
            TXN_MAX_PENDING, FILTER_MAX_LENGTH, FILTER_SQL_MAX_DEPTH, FILTER_SQL_MAX_IN_VALUES, PRODUCER_DEDUP_EXPIRY_MS, PRODUCER_DEDUP_CACHE_BYTES,
            GROUP_MAX_MEMBERS, GROUP_MAX_SUBSCRIPTIONS, MQTT_PORT, MQTT_WS_PORT, MQTT_WS_PATH, MQTT_AUTH_USERS, MQTT_TOPIC_QUEUES,
            MQTT_MAX_PACKET_BYTES, MQTT_MAX_KEEPALIVE_SECONDS, MQTT_MAX_INFLIGHT, MQTT_MAX_CONNECTIONS,
            MQTT_CLIENT_ID_PATTERN, MQTT_SYS_INTERVAL_SECONDS, MQTT_TOPIC_AUTO_CREATE, MQTT_RETAINED_MAX_COUNT, MQTT_RETAINED_MAX_BYTES,
            MQTT_MAX_SUBSCRIPTIONS, MQTT_MAX_SESSIONS);

    public static ConfigKey<?> byName(String name) {
        for (ConfigKey<?> k : ALL) if (k.name().equals(name)) return k;
        return null;
    }
}
