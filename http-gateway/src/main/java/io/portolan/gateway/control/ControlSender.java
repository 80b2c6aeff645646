package io.portolan.gateway.control;

import io.portolan.cluster.topology.HostEntity;
import io.portolan.gateway.audit.AuditLog;
import io.portolan.gateway.auth.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Sends one control to the agent of a host through the host's sharded entity, maps how it ended to
 * an HTTP status, and writes it to the audit log. Shared by the container and Kubernetes routes.
 */
public final class ControlSender {

  private static final Pattern ENGINE_STATUS = Pattern.compile("engine answered (\\d{3})");
  /**
   * Engine messages that mean "the container's state forbids this", whatever status the engine gave
   * (Docker 20.10 answers unpause of a running container with 500 "is not paused").
   */
  private static final Pattern STATE_CONFLICT = Pattern.compile(
      "is (not|already) (paused|running)|is paused|is restarting|is not running|cannot (remove|kill) a (running|paused)"
          + "|stop the container before|is dead|removal of container .* is already in progress",
      Pattern.CASE_INSENSITIVE);

  /** How a control ended: an HTTP status, the agent's message and anything it returned. */
  public record Sent(int status, String message, Map<String, String> output) {}

  private final ClusterSharding sharding;
  private final AuditLog audit;

  public ControlSender(ClusterSharding sharding, AuditLog audit) {
    this.sharding = sharding;
    this.audit = audit;
  }

  /** Never fails: a problem is a {@link Sent} with a 4xx/5xx status. */
  public CompletionStage<Sent> send(Principal user, String hostId, String targetKey, String action,
      Map<String, String> args, Duration timeout, String auditTarget) {
    String requestId = UUID.randomUUID().toString();
    CompletionStage<HostEntity.ControlOutcome> outcome = sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId)
        .ask((ActorRef<HostEntity.ControlOutcome> replyTo) -> new HostEntity.Control(requestId, targetKey, action,
            args, timeout, replyTo), timeout.plusSeconds(5));
    return outcome
        .thenApply(o -> new Sent(status(o), o.message(), o.output() == null ? Map.of() : o.output()))
        .exceptionally(e -> new Sent(503, "the host's entity did not answer in time; try again shortly", Map.of()))
        .whenComplete((sent, e) -> audit.record(user.name(), actionName(targetKey, action), auditTarget,
            sent.status() == 200 ? "ok" : "failed", sent.status() == 200 ? "host " + hostId : sent.message(), ""));
  }

  private static String actionName(String targetKey, String action) {
    return (targetKey.startsWith("container:") ? "container." : "kubernetes.") + action;
  }

  /** 200 done; 503 agent offline or no answer; 404 no such container; 409 its state forbids it; 502 else. */
  static int status(HostEntity.ControlOutcome outcome) {
    return switch (outcome.result()) {
      case DONE -> 200;
      case AGENT_OFFLINE, TIMED_OUT -> 503;
      case FAILED -> {
        String message = outcome.message() == null ? "" : outcome.message();
        Matcher m = ENGINE_STATUS.matcher(message);
        int engine = m.find() ? Integer.parseInt(m.group(1)) : 409;
        yield engine == 404 || message.contains("does not exist") || message.contains("No such container") ? 404
            : STATE_CONFLICT.matcher(message).find() ? 409
            : engine >= 500 ? 502 : 409;
      }
    };
  }
}
