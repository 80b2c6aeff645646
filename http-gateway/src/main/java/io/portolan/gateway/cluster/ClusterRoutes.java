package io.portolan.gateway.cluster;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.gateway.http.Json;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /api/cluster}: this node's view of the cluster membership. */
public final class ClusterRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/api/cluster"));

  public record MemberView(String address, String status, List<String> roles, boolean reachable) {}

  public record ClusterView(String self, String leader, List<MemberView> members) {}

  private final Cluster cluster;

  public ClusterRoutes(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  public Route routes() {
    return pathPrefix("api", () -> path("cluster", () -> get(() ->
        complete(StatusCodes.OK, view(), Json.marshaller()))));
  }

  ClusterView view() {
    ClusterEvent.CurrentClusterState state = cluster.state();
    java.util.Set<Member> unreachable = state.getUnreachable();
    List<MemberView> members = StreamSupport.stream(state.getMembers().spliterator(), false)
        .map(m -> new MemberView(m.address().toString(), m.status().toString(),
            m.getRoles().stream().sorted().toList(), !unreachable.contains(m)))
        .toList();
    String leader = state.getLeader() == null ? null : state.getLeader().toString();
    return new ClusterView(cluster.selfMember().address().toString(), leader, members);
  }
}
