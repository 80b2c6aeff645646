package io.portolan.gateway.http;

import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.view.ViewService;
import io.portolan.gateway.PortolanSettings;
import io.portolan.gateway.admin.AdminRoutes;
import io.portolan.gateway.agentlink.AgentLinkRoutes;
import io.portolan.gateway.agentlink.AgentToken;
import io.portolan.gateway.agentlink.IngestStats;
import io.portolan.gateway.agents.AgentRoutes;
import io.portolan.gateway.cluster.ClusterRoutes;
import io.portolan.gateway.health.HealthRoutes;
import io.portolan.gateway.health.ReadinessCheck;
import io.portolan.gateway.topology.TopologyRoutes;
import io.portolan.gateway.ui.UiRoutes;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node, in one list, behind the one error mapper. */
public final class HttpApi extends AllDirectives {

  /** What the routes need besides the actor system: the node's read model, settings and agent-link state. */
  public record Services(ViewService views, TopologySettings topology, AgentToken agentToken, IngestStats ingest) {}

  private final Route route;

  public HttpApi(ActorSystem<?> system, PortolanSettings settings, Services services) {
    Route all = concat(
        new HealthRoutes(new ReadinessCheck(system, settings.readinessTimeout())).routes(),
        new ClusterRoutes(system).routes(),
        new AgentRoutes(ClusterSharding.get(system), settings.askTimeout(), settings.maxBodyBytes()).routes(),
        new AgentLinkRoutes(system, services.agentToken(), services.ingest(), settings.askTimeout()).routes(),
        new TopologyRoutes(system, services.views(), services.topology(), settings.askTimeout()).routes(),
        new AdminRoutes(system, services.ingest(), services.views().store()).routes(),
        new UiRoutes().routes());
    this.route = handleRejections(ErrorMapper.rejectionHandler(), () ->
        handleExceptions(ErrorMapper.exceptionHandler(), () -> all));
  }

  public Route route() {
    return route;
  }
}
