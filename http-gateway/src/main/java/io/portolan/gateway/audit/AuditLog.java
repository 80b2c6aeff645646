package io.portolan.gateway.audit;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every login, logout, failed login, admin change, control and exec session, persisted in
 * Cassandra in {@code <keyspace>.audit_events}, one partition per UTC day, newest first. Queries
 * walk the days of the asked range and filter by actor, target and action.
 */
public final class AuditLog {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  public static final Duration MAX_RANGE = Duration.ofDays(92);
  public static final int MAX_LIMIT = 10_000;

  /** One audited action. {@code outcome}: ok, denied, failed. */
  public record AuditEvent(Instant at, String actor, String action, String target, String outcome, String detail,
      String client, String node) {}

  /** What to look for. Empty optionals match anything. */
  public record Query(Instant from, Instant to, Optional<String> actor, Optional<String> target,
      Optional<String> action, int limit) {}

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final String table;
  private final String node;
  private final String keyspace;
  /** Writes not finished yet: shutdown waits for them before Cassandra and the scheduler go away. */
  private final Set<CompletableFuture<Done>> pending = ConcurrentHashMap.newKeySet();
  /** Replaced when creating the table failed, so one slow start does not break auditing for good. */
  private volatile CompletableFuture<Done> schema;

  public AuditLog(ActorSystem<?> system, String keyspace, boolean autocreate, String node) {
    this.system = system;
    this.session = CassandraSessionRegistry.get(system).sessionFor("pekko.connectors.cassandra");
    this.table = keyspace + ".audit_events";
    this.node = node;
    this.keyspace = keyspace;
    this.schema = autocreate ? createSchema(keyspace) : CompletableFuture.completedFuture(Done.getInstance());
    // An event recorded just before a SIGTERM (a login) is still written: its retries need the
    // scheduler and the Cassandra session, both gone later in the shutdown (bounded by the phase's timeout).
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "audit-drain",
        () -> CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
            .handle((d, e) -> Done.getInstance()));
  }

  private synchronized CompletableFuture<Done> schema() {
    if (schema.isCompletedExceptionally()) {
      schema = createSchema(keyspace);
    }
    return schema;
  }

  private CompletableFuture<Done> createSchema(String keyspace) {
    return session.executeDDL("CREATE KEYSPACE IF NOT EXISTS " + keyspace
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
        .thenCompose(d -> session.executeDDL("CREATE TABLE IF NOT EXISTS " + table + " ("
            + "day text, at timestamp, id timeuuid, actor text, action text, target text, outcome text,"
            + " detail text, client text, node text, PRIMARY KEY ((day), at, id))"
            + " WITH CLUSTERING ORDER BY (at DESC, id DESC)"))
        .toCompletableFuture();
  }

  /**
   * Writes the event. While Cassandra cannot take it for a moment (no node available, timeouts,
   * overload: a busy or restarting Cassandra), the write is retried with backoff for about
   * {@link #WRITE_RETRIES} retries; the event's id is fixed before the first attempt, so a retried
   * write that had in fact landed writes the same row again. A failure that outlasts the retries, or
   * one that retrying cannot fix, is logged with the event and fails the stage.
   */
  public CompletionStage<Done> record(String actor, String action, String target, String outcome, String detail,
      String client) {
    Instant at = Instant.now();
    UUID id = Uuids.timeBased();
    AuditEvent event = new AuditEvent(at, actor, action, target, outcome, detail, client, node);
    CompletionStage<Done> written = retryingTransient(system, () -> schema().thenCompose(d -> session.executeWrite(
            "INSERT INTO " + table + " (day, at, id, actor, action, target, outcome, detail, client, node)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            day(at), at, id, actor, action, target, outcome, detail, client, node)),
        error -> log.warn("Audit event {} not written yet ({}); retrying", event, error.toString()))
        .whenComplete((done, error) -> {
          if (error != null) {
            log.error("Could not write the audit event {}: {}", event, error.toString());
          }
        });
    CompletableFuture<Done> write = written.toCompletableFuture();
    pending.add(write);
    write.whenComplete((d, e) -> pending.remove(write));
    return written;
  }

  /** Retries after the first attempt of one audit write: with backoff from 0.2 s to 5 s, about 30 s of trying. */
  static final int WRITE_RETRIES = 10;

  /**
   * Runs {@code attempt}, and runs it again with exponential backoff while it fails with an error
   * that a later attempt can get past ({@link #transientFailure}); {@code firstRetry} hears of the
   * first such failure only, so an outage logs one warning per event, not one per attempt.
   */
  static <T> CompletionStage<T> retryingTransient(ActorSystem<?> system, Callable<CompletionStage<T>> attempt,
      Consumer<Throwable> firstRetry) {
    return retryingTransient(system, attempt, firstRetry, WRITE_RETRIES, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  static <T> CompletionStage<T> retryingTransient(ActorSystem<?> system, Callable<CompletionStage<T>> attempt,
      Consumer<Throwable> firstRetry, int retries, Duration minBackoff, Duration maxBackoff) {
    AtomicBoolean warned = new AtomicBoolean();
    return Patterns.retry(attempt, (result, error) -> {
      boolean again = error != null && transientFailure(error);
      if (again && warned.compareAndSet(false, true)) {
        firstRetry.accept(error);
      }
      return again;
    }, retries, minBackoff, maxBackoff, 0.2, system);
  }

  /** Errors from a Cassandra that is there but cannot answer right now; others (bad query, auth) are final. */
  static boolean transientFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AllNodesFailedException // includes NoNodeAvailableException
          || t instanceof DriverTimeoutException
          || t instanceof QueryConsistencyException // read/write timeouts and failures
          || t instanceof UnavailableException
          || t instanceof OverloadedException
          || t instanceof BootstrappingException
          || t instanceof ClosedConnectionException) {
        return true;
      }
    }
    return false;
  }

  public CompletionStage<List<AuditEvent>> query(Query q) {
    Predicate<AuditEvent> matches = e -> q.actor().map(a -> a.equals(e.actor())).orElse(true)
        && q.target().map(t -> targetMatches(t, e.target())).orElse(true)
        && q.action().map(a -> a.equals(e.action())).orElse(true);
    return schema().thenCompose(d -> queryDays(q, LocalDate.ofInstant(q.to(), ZoneOffset.UTC), matches, new ArrayList<>()));
  }

  /**
   * The asked target names the event's target: equal, or the container part of a container target
   * ("web" and "3f2a1b" both find "web (3f2a1b9c0d1e)"; a container's name or its id's first 12 characters).
   */
  static boolean targetMatches(String asked, String target) {
    if (target == null) {
      return false;
    }
    if (target.equals(asked)) {
      return true;
    }
    int open = target.lastIndexOf(" (");
    if (open > 0 && target.endsWith(")")) {
      String name = target.substring(0, open);
      String id = target.substring(open + 2, target.length() - 1);
      return asked.equals(name) || (asked.length() >= 6 && id.startsWith(asked));
    }
    return false;
  }

  private CompletionStage<List<AuditEvent>> queryDays(Query q, LocalDate day, Predicate<AuditEvent> matches,
      List<AuditEvent> found) {
    if (found.size() >= q.limit() || day.isBefore(LocalDate.ofInstant(q.from(), ZoneOffset.UTC))) {
      return CompletableFuture.completedFuture(found);
    }
    return session.selectAll("SELECT at, actor, action, target, outcome, detail, client, node FROM " + table
            + " WHERE day = ? AND at >= ? AND at <= ?", day.toString(), q.from(), q.to())
        .thenCompose(rows -> {
          for (Row row : rows) {
            AuditEvent event = new AuditEvent(row.getInstant("at"), row.getString("actor"), row.getString("action"),
                row.getString("target"), row.getString("outcome"), row.getString("detail"), row.getString("client"),
                row.getString("node"));
            if (matches.test(event) && found.size() < q.limit()) {
              found.add(event);
            }
          }
          return queryDays(q, day.minusDays(1), matches, found);
        });
  }

  private static String day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
  }
}
