package dev.tern.server.cli;

import dev.tern.store.local.LogRepair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Offline commands on a stopped node's data directory. */
@Command(name = "store", description = "Offline tools for a stopped node's data directory.",
        subcommands = {StoreCommand.Repair.class})
final class StoreCommand {

    @Command(name = "repair", description = {
            "Checks every record of the commit log and says where the first bad one is and what cutting the log there would drop.",
            "With --truncate-at, cuts the log there: the rest of that segment is zeroed, later segments are moved to",
            "log-quarantine/<time>/ (never deleted), and the consume queues and key index are rebuilt at the next start.",
            "A node refuses to start on corruption below its last checkpoint; this is how an operator decides."})
    static final class Repair implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "the stopped node's data directory")
        Path dataDir;

        @Option(names = "--truncate-at", description = "log position to cut at (a record boundary at or before the first bad record)")
        Long truncateAt;

        @Override
        public Integer call() throws Exception {
            if (truncateAt != null) {
                Path moved = LogRepair.truncateAt(dataDir, truncateAt);
                System.out.println("log cut at position " + truncateAt + (moved == null ? "" : "; later segments moved to " + moved)
                        + "; the next start rebuilds the consume queues and the key index");
                return 0;
            }
            LogRepair.Report r = LogRepair.inspect(dataDir);
            if (r.intact()) {
                System.out.printf("commit log intact: %d records, positions %d..%d (durable up to %d at the last checkpoint)%n",
                        r.records(), r.firstPosition(), r.endPosition(), r.durablePosition());
                return 0;
            }
            System.out.printf("commit log damaged: %s at log position %d (segment %s, byte %d).%n", r.problem(), r.badAt(), r.segment(), r.segmentByte());
            System.out.printf("%d records before it are intact; cutting there drops %d bytes of the log (%d later segment(s), moved aside, not deleted).%n",
                    r.records(), r.bytesAfter(), r.laterSegments().size());
            System.out.printf("to cut: tern store repair --data-dir %s --truncate-at %d%n", dataDir, r.badAt());
            return 1;
        }
    }
}
