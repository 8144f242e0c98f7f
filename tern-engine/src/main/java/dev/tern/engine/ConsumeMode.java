package dev.tern.engine;

/** How a group's members share its topics. */
public enum ConsumeMode {
    /** Each queue is assigned to one member: each message goes to one member of the group. */
    CLUSTERING,
    /** Every member reads every queue: each member gets all messages. */
    BROADCAST
}
