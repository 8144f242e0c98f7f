package dev.tern.gateway.mqtt;

import dev.tern.common.message.Message;
import dev.tern.engine.AckConsumer;
import dev.tern.engine.Engine;
import dev.tern.engine.GroupCoordinator;
import dev.tern.engine.MessageQuery;
import dev.tern.engine.PullRequest;
import dev.tern.engine.PullResult;
import dev.tern.engine.QueueTarget;
import dev.tern.engine.SendResult;
import dev.tern.engine.TopicAdmin;
import dev.tern.engine.Transactions;
import dev.tern.store.api.Durability;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An engine that hands every call to another: test seams override the calls they change. */
abstract class ForwardingEngine implements Engine {
    protected final Engine engine;

    ForwardingEngine(Engine engine) {
        this.engine = engine;
    }

    @Override
    public CompletableFuture<List<SendResult>> send(String topic, QueueTarget target, List<Message> batch, Durability durability) {
        return engine.send(topic, target, batch, durability);
    }

    @Override
    public CompletableFuture<PullResult> pull(PullRequest request) {
        return engine.pull(request);
    }

    @Override
    public TopicAdmin topics() {
        return engine.topics();
    }

    @Override
    public GroupCoordinator groups() {
        return engine.groups();
    }

    @Override
    public MessageQuery lookups() {
        return engine.lookups();
    }

    @Override
    public AckConsumer acks() {
        return engine.acks();
    }

    @Override
    public Transactions transactions() {
        return engine.transactions();
    }

    @Override
    public void close() {
        engine.close();
    }
}
