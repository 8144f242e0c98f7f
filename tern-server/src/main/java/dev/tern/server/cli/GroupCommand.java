package dev.tern.server.cli;

import dev.tern.client.TernClient;
import dev.tern.engine.GroupDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tern group list|describe G}. */
@Command(name = "group", description = "List consumer groups and show their members, offsets and lag.")
final class GroupCommand {

    @Command(name = "list", description = "List consumer groups.")
    int list(@Mixin ServerOption server) {
        try (TernClient c = server.connect()) {
            c.admin().listGroups().forEach(System.out::println);
        }
        return 0;
    }

    @Command(name = "describe", description = "Show a group's members, committed offsets and lag.")
    int describe(@Mixin ServerOption server, @Parameters(paramLabel = "GROUP") String group) {
        try (TernClient c = server.connect()) {
            GroupDescription d = c.admin().describeGroup(group).orElse(null);
            if (d == null) {
                System.err.println("tern: group '" + group + "' is unknown (no live members, no committed offsets)");
                return 1;
            }
            System.out.printf("group %s: %s, generation %d, %d member(s), total lag %d%n", d.group(), d.mode(), d.generation(),
                    d.members().size(), d.totalLag());
            for (GroupDescription.Member m : d.members()) {
                System.out.printf("  member %s (%s): %s%n", m.memberId(), m.clientId(), m.assigned());
            }
            System.out.println("  TOPIC\tQUEUE\tOWNER\tCOMMITTED\tEND\tLAG");
            for (GroupDescription.QueueLag q : d.queues()) {
                System.out.printf("  %s\t%d\t%s\t%d\t%d\t%d%n", q.topic(), q.queue(), q.owner() == null ? "-" : q.owner(),
                        q.committed(), q.end(), q.lag());
            }
        }
        return 0;
    }
}
