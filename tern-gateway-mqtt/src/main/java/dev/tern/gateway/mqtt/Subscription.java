package dev.tern.gateway.mqtt;

/**
 * One subscription of a session: the filter as the trie holds it (without a {@code $share/group/} prefix),
 * the granted QoS and the MQTT 5 options.
 *
 * @param filter            the topic filter
 * @param shareGroup        the share group of a {@code $share/group/filter} subscription, or null
 * @param qos               the granted maximum QoS
 * @param noLocal           do not deliver what this client published
 * @param retainAsPublished keep the RETAIN flag of forwarded messages
 * @param retainHandling    0: send retained messages on subscribe; 1: only if new; 2: never
 * @param identifier        the subscription identifier, 0 for none
 */
record Subscription(String filter, String shareGroup, int qos, boolean noLocal, boolean retainAsPublished,
                    int retainHandling, int identifier) {

    /** The filter as the client wrote it (with its share prefix). */
    String clientFilter() {
        return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
    }
}
