package io.portolan.gateway.http;

import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.view.ViewService;
import com.typesafe.config.Config;
import io.portolan.cluster.access.Role;
import io.portolan.gateway.PortolanSettings;
import io.portolan.gateway.audit.AuditLog;
import io.portolan.gateway.audit.AuditRoutes;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.auth.AuthRoutes;
import io.portolan.gateway.auth.AuthSettings;
import io.portolan.gateway.auth.Authenticator;
import io.portolan.gateway.auth.LoginRateLimiter;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import io.portolan.gateway.admin.AdminRoutes;
import io.portolan.gateway.agentlink.AgentLinkRoutes;
import io.portolan.gateway.agentlink.AgentToken;
import io.portolan.gateway.agentlink.IngestStats;
import io.portolan.gateway.agents.AgentRoutes;
import io.portolan.gateway.cluster.ClusterRoutes;
import io.portolan.gateway.containers.ContainerRoutes;
import io.portolan.gateway.kubernetes.KubernetesRoutes;
import io.portolan.gateway.health.HealthRoutes;
import io.portolan.gateway.health.ReadinessCheck;
import io.portolan.gateway.metrics.HttpMetrics;
import io.portolan.gateway.metrics.MetricsRoutes;
import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.gateway.openapi.OpenApiRoutes;
import io.portolan.gateway.tls.TlsSettings;
import io.portolan.cluster.readmodel.ReadModelStatus;
import io.portolan.gateway.topology.ReadModelForwarding;
import io.portolan.gateway.topology.TopologyRoutes;
import io.portolan.gateway.ui.UiRoutes;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node, in one list, behind the one error mapper. */
public final class HttpApi extends AllDirectives {

  /** What the routes need besides the actor system: the node's read model, settings and agent-link state. */
  public record Services(ViewService views, TopologySettings topology, AgentToken agentToken, IngestStats ingest,
      ReadModelStatus readModel) {}

  private final Route route;

  public HttpApi(ActorSystem<?> system, PortolanSettings settings, AuthSettings authSettings, Services services) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Config config = system.settings().config();
    AuthDirectives auth = new AuthDirectives(
        new Authenticator(sharding, settings.askTimeout(), authSettings.tokenCacheTtl(), Clock.systemUTC()));
    AuditLog audit = new AuditLog(system, config.getString("pekko.persistence.cassandra.journal.keyspace"),
        config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate"),
        Cluster.get(system).selfMember().address().toString());
    Route topology = new TopologyRoutes(system, services.views(), services.topology(), settings.askTimeout()).routes();
    Route all = concat(
        // requests that need the read model go to a view node when this node is none
        new ReadModelForwarding(system, services.readModel()).route(),
        new HealthRoutes(new ReadinessCheck(system, settings.readinessTimeout())).routes(),
        new AuthRoutes(sharding, auth, audit,
            new LoginRateLimiter(authSettings.loginAttemptsPerMinute(), Duration.ofMinutes(1)),
            system.dispatchers().lookup(DispatcherSelector.blocking()), settings.askTimeout(),
            authSettings.sessionTtl(), authSettings.secureCookie() || TlsSettings.from(config).enabled(), settings.maxBodyBytes(), Clock.systemUTC()).routes(),
        new AuditRoutes(audit, auth).routes(),
        protect(auth, Role.VIEWER, new ClusterRoutes(system).routes(), "cluster"),
        new AgentRoutes(sharding, auth, settings.askTimeout(), settings.maxBodyBytes()).routes(),
        new AgentLinkRoutes(system, services.agentToken(), services.ingest(), settings.askTimeout()).routes(),
        protect(auth, Role.VIEWER, topology, "topology", "search"),
        new ContainerRoutes(sharding, services.views().store(), auth, audit, settings.maxBodyBytes()).routes(),
        new KubernetesRoutes(sharding, services.views().store(), auth, audit, settings.maxBodyBytes()).routes(),
        new io.portolan.gateway.containers.ContainerPipeRoutes(system, services.views().store(), auth, audit,
            settings.askTimeout()).routes(),
        protect(auth, Role.ADMIN, new AdminRoutes(system, services.ingest(), services.views().store(), services.readModel()).routes(), "admin"),
        new OpenApiRoutes().routes(),
        new MetricsRoutes(system, auth, services.ingest(), services.views().store()).routes(),
        new UiRoutes().routes());
    this.route = new HttpMetrics(endpoints()).timed(handleRejections(ErrorMapper.rejectionHandler(), () ->
        handleExceptions(ErrorMapper.exceptionHandler(), () -> all)));
  }

  /**
   * What the routes above answer: one line per route class, as each declares next to its routes.
   * OpenApiCoverageIT checks this list against the OpenAPI document and probes every entry; a route
   * class without an {@code ENDPOINTS} list, or missing here, fails that test.
   */
  public static java.util.List<ApiEndpoint> endpoints() {
    return java.util.stream.Stream.of(
            HealthRoutes.ENDPOINTS,
            AuthRoutes.ENDPOINTS,
            AuditRoutes.ENDPOINTS,
            ClusterRoutes.ENDPOINTS,
            AgentRoutes.ENDPOINTS,
            AgentLinkRoutes.ENDPOINTS,
            TopologyRoutes.ENDPOINTS,
            ContainerRoutes.ENDPOINTS,
            KubernetesRoutes.ENDPOINTS,
            io.portolan.gateway.containers.ContainerPipeRoutes.ENDPOINTS,
            AdminRoutes.ENDPOINTS,
            OpenApiRoutes.ENDPOINTS,
            MetricsRoutes.ENDPOINTS,
            // UiRoutes serves the UI's files and client-side paths; the API document names only its entry.
            java.util.List.of(ApiEndpoint.get("/")))
        .flatMap(java.util.List::stream)
        .toList();
  }

  /** {@code inner}, for requests under {@code /api/<prefix>} only, behind {@code role}. */
  private Route protect(AuthDirectives auth, Role role, Route inner, String... prefixes) {
    Route guarded = auth.authorized(role, principal -> inner);
    Route[] routes = java.util.Arrays.stream(prefixes)
        .map(prefix -> pathPrefixTest(PathMatchers.segment("api").slash(prefix), () -> guarded))
        .toArray(Route[]::new);
    return concat(routes[0], java.util.Arrays.copyOfRange(routes, 1, routes.length));
  }

  public Route route() {
    return route;
  }
}
