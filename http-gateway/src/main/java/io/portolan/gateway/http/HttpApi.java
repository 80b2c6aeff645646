package io.portolan.gateway.http;

import io.portolan.gateway.PortolanSettings;
import io.portolan.gateway.agents.AgentRoutes;
import io.portolan.gateway.cluster.ClusterRoutes;
import io.portolan.gateway.health.HealthRoutes;
import io.portolan.gateway.health.ReadinessCheck;
import io.portolan.gateway.ui.UiRoutes;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node, in one list, behind the one error mapper. */
public final class HttpApi extends AllDirectives {

  private final Route route;

  public HttpApi(ActorSystem<?> system, PortolanSettings settings) {
    Route all = concat(
        new HealthRoutes(new ReadinessCheck(system, settings.readinessTimeout())).routes(),
        new ClusterRoutes(system).routes(),
        new AgentRoutes(ClusterSharding.get(system), settings.askTimeout(), settings.maxBodyBytes()).routes(),
        new UiRoutes().routes());
    this.route = handleRejections(ErrorMapper.rejectionHandler(), () ->
        handleExceptions(ErrorMapper.exceptionHandler(), () -> all));
  }

  public Route route() {
    return route;
  }
}
