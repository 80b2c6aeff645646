package io.portolan.node.agent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** Runs a blocking call on the agent's blocking dispatcher, bounded by a timeout. */
public final class Blocking {

  private Blocking() {}

  /** For Docker Engine calls, which mostly wait on the engine. */
  public static Executor dockerExecutor(ActorContext<?> context) {
    return context.getSystem().dispatchers()
        .lookup(DispatcherSelector.fromConfig(AgentSettings.DOCKER_DISPATCHER));
  }

  public static Executor executor(ActorContext<?> context) {
    return context.getSystem().dispatchers()
        .lookup(DispatcherSelector.fromConfig(AgentSettings.BLOCKING_DISPATCHER));
  }

  /**
   * The result, or a {@link java.util.concurrent.TimeoutException} after {@code timeout}. A call that
   * times out keeps its thread until the transport gives up (the pool is small and fixed, so a hung
   * engine cannot make the agent spawn threads without bound).
   */
  public static <T> CompletionStage<T> call(Executor executor, Duration timeout, Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, executor).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
