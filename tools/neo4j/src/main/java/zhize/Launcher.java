package zhize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * The project's Neo4j: Community 5.26 embedded, Bolt on loopback, auth off.
 *
 * <p>Embedded rather than a downloaded distribution because only package registries are reachable
 * here: Maven Central serves the same kernel and Bolt server as jars. Auth is off because the
 * server listens on 127.0.0.1 only and holds nothing but graphs rebuilt from public documents.
 *
 * <p>Usage: {@code Launcher [home] [port]}; defaults {@code run/home} and 7687 (env
 * {@code ZHIZE_NEO4J_HOME}, {@code ZHIZE_NEO4J_PORT} also read). Memory stays small so a
 * 2-core/24 GiB machine runs it beside the test suite: heap by -Xmx, page cache 256 MiB.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        String home = args.length > 0 ? args[0] : env("ZHIZE_NEO4J_HOME", "run/home");
        int port = Integer.parseInt(args.length > 1 ? args[1] : env("ZHIZE_NEO4J_PORT", "7687"));
        Path homeDir = Path.of(home).toAbsolutePath();

        long t0 = System.nanoTime();
        DatabaseManagementService service;
        try {
            service = start(homeDir, port);
        } catch (RuntimeException e) {
            // one line the caller can show first: the innermost cause says what is wrong (port in use, lock held)
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            e.printStackTrace();
            System.out.println("zhize-neo4j: failed: " + root.getMessage());
            System.out.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("zhize-neo4j: shutting down");
            service.shutdown();
            stopped.countDown();
            System.out.println("zhize-neo4j: stopped");
        }, "zhize-neo4j-shutdown"));

        // Force the default database up before announcing readiness.
        service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.printf("zhize-neo4j: ready bolt://127.0.0.1:%d home=%s started_in_ms=%d%n",
                port, homeDir, (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementService start(Path homeDir, int port) {
        return new DatabaseManagementServiceBuilder(homeDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // transaction logs: 256 MiB preallocated per database by default; the graph is small and rebuilt
                // from documents, so keep them small and few
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // … and pruned often: old files go only at a checkpoint, which Community edition takes every
                // 15 minutes (or 100k transactions; by volume only in Enterprise), so repeated --fresh loads of
                // 10^5 facts (~150 MB of log each) grew run/ by gigabytes between two; every minute instead
                .setConfig(GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(1))
                // Bolt waits 5 s + 5 s on shutdown by default; a local test server has nothing to drain
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
