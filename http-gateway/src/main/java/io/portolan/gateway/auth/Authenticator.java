package io.portolan.gateway.auth;

import io.portolan.cluster.access.TokenEntity;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Resolves a presented token to a {@link Principal} by asking its {@link TokenEntity}. Answers are
 * cached on this node for {@code cacheTtl}, so a busy UI does not ask the entity on every request;
 * a revocation therefore takes up to that long to reach other nodes (this node forgets at once).
 */
public final class Authenticator {

  private static final int MAX_CACHED = 10_000;

  private record Cached(Optional<Principal> principal, long untilNanos) {}

  private final ClusterSharding sharding;
  private final Duration timeout;
  private final Duration cacheTtl;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public Authenticator(ClusterSharding sharding, Duration timeout, Duration cacheTtl, Clock clock) {
    this.sharding = sharding;
    this.timeout = timeout;
    this.cacheTtl = cacheTtl;
    this.clock = clock;
  }

  public CompletionStage<Optional<Principal>> authenticate(String token) {
    Optional<Tokens.Presented> presented = Tokens.parse(token);
    if (presented.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String id = presented.get().id();
    String key = id + ":" + presented.get().secretHash();
    Cached cached = cache.get(key);
    if (cached != null && cached.untilNanos() - System.nanoTime() > 0) {
      return CompletableFuture.completedFuture(cached.principal());
    }
    return sharding.entityRefFor(TokenEntity.ENTITY_KEY, id)
        .ask(TokenEntity.Get::new, timeout)
        .thenApply(state -> {
          Optional<Principal> principal = state.accepts(presented.get().secretHash(), clock.instant())
              ? Optional.of(new Principal(state.owner(), state.role(), id, state.kind()))
              : Optional.empty();
          if (cache.size() >= MAX_CACHED) {
            cache.clear();
          }
          cache.put(key, new Cached(principal, System.nanoTime() + cacheTtl.toNanos()));
          return principal;
        });
  }

  /** Drops a token from this node's cache at once (after logout or revocation here). */
  public void forget(String tokenId) {
    cache.keySet().removeIf(key -> key.startsWith(tokenId + ":"));
  }
}
