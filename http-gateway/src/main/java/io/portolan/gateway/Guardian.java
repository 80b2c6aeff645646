package io.portolan.gateway;

import io.portolan.cluster.agent.AgentEntity;
import io.portolan.gateway.http.HttpApi;
import io.portolan.gateway.http.HttpServer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The node's root actor: registers the sharded entities, then opens the HTTP port. */
public final class Guardian {

  private Guardian() {}

  public static Behavior<Void> create(PortolanSettings settings) {
    return Behaviors.setup(ctx -> {
      AgentEntity.init(ctx.getSystem());
      HttpServer.start(ctx.getSystem(), settings, new HttpApi(ctx.getSystem(), settings).route());
      return Behaviors.empty();
    });
  }
}
