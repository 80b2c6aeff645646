package io.portolan.gateway.health;

import io.portolan.persistence.JournalReadiness;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Ready means: this node is an Up member of the cluster, Cassandra answers a query, and the journal
 * has completed a recovery (so its plugins started and its tables exist).
 */
public final class ReadinessCheck {

  /** The answer of {@code GET /health/ready}. */
  public record Result(
      boolean ready, String memberStatus, boolean cassandraReachable, boolean journalReady, String detail) {}

  private final ActorSystem<?> system;
  private final Duration timeout;
  private final CassandraSession session;
  private final CompletableFuture<Done> journal;

  public ReadinessCheck(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
    // Its own session, on the same driver settings as the persistence plugin. It must not be the
    // plugin's "pekko.persistence.cassandra" session: the registry caches sessions by path, and one
    // created here first would lack the plugin's init step that creates keyspace and tables.
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.connectors.cassandra");
    this.journal = JournalReadiness.probe(system).toCompletableFuture();
  }

  public CompletionStage<Result> check() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    boolean up = status == MemberStatus.up();
    return session.selectOne("SELECT release_version FROM system.local")
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((row, error) -> {
          boolean cassandra = error == null && row.isPresent();
          boolean journalReady = journal.isDone() && !journal.isCompletedExceptionally();
          String detail;
          if (!up) {
            detail = "this node is not an Up cluster member yet (" + status + "); check the seed nodes";
          } else if (!cassandra) {
            detail = "Cassandra did not answer within " + timeout.toMillis() + " ms"
                + (error == null ? "" : ": " + rootMessage(error));
          } else if (!journalReady) {
            detail = "the journal is starting (creating its tables on a first start); try again shortly";
          } else {
            detail = "ok";
          }
          return new Result(up && cassandra && journalReady, status.toString(), cassandra, journalReady, detail);
        });
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
  }

}
