package io.portolan.gateway.admin;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyCounters;
import io.portolan.cluster.readmodel.ReadModelPlacement;
import io.portolan.cluster.readmodel.ReadModelStatus;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.gateway.agentlink.IngestStats;
import io.portolan.gateway.http.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/admin/stats}: this node's ingest counters, read-model size and memory, for the
 * load generator and operators. {@code ?gc=true} runs a full GC first so heap-used means live data.
 */
public final class AdminRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.get("/api/admin/stats"));

  public record Ingest(long connections, long connectionsTotal, long frames, long bytes, long reports,
      long fullReports, long entries, long samples, long rejected, Map<String, Long> rejectedByReason,
      long unauthorized) {}

  /**
   * This node's read model: empty unless it is a view node ({@code viewNode}); {@code viewNodes}
   * are the cluster addresses of the view nodes; {@code warming} with the progress of a warm-up.
   */
  public record ReadModel(int hosts, long entries, long version, long deltasApplied, long snapshotRequests,
      boolean viewNode, boolean warming, int warmupHostsReady, int warmupHostsExpected, List<String> viewNodes) {}

  public record Memory(long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes, long rssBytes) {}

  public record Stats(String node, long uptimeMillis, Ingest ingest, ReadModel readModel, long hostEntitiesHere,
      long fullReportRequests, Memory memory) {}

  private final String node;
  private final IngestStats ingest;
  private final TopologyStore store;
  private final ReadModelStatus readModel;

  public AdminRoutes(ActorSystem<?> system, IngestStats ingest, TopologyStore store, ReadModelStatus readModel) {
    this.node = Cluster.get(system).selfMember().address().toString();
    this.ingest = ingest;
    this.store = store;
    this.readModel = readModel;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("admin", () -> path("stats", () -> get(() ->
        parameterOptional("gc", gc -> {
          if (gc.map("true"::equals).orElse(false)) {
            System.gc();
          }
          return complete(StatusCodes.OK, stats(), Json.marshaller());
        })))));
  }

  Stats stats() {
    long entries = 0;
    int hosts = 0;
    for (HostSnapshot h : store.hosts()) {
      hosts++;
      entries += h.live().size();
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    ReadModelStatus.State placement = readModel.get();
    return new Stats(node, ManagementFactory.getRuntimeMXBean().getUptime(),
        new Ingest(ingest.connections.get(), ingest.connectionsTotal.sum(), ingest.framesReceived.sum(),
            ingest.bytesReceived.sum(), ingest.reportsAccepted.sum(), ingest.fullReportsAccepted.sum(),
            ingest.entriesAccepted.sum(), ingest.samplesAccepted.sum(), ingest.rejectedTotal(),
            ingest.rejectedByReason(), ingest.unauthorized.sum()),
        new ReadModel(hosts, entries, store.version(), TopologyCounters.DELTAS_APPLIED.get(),
            TopologyCounters.SNAPSHOT_REQUESTS.get(), placement.viewNode(), placement.viewNode() && placement.warming(),
            placement.hostsReady(), placement.hostsExpected(),
            placement.viewNodes().stream().map(ReadModelPlacement.ViewNode::address).toList()),
        TopologyCounters.HOST_ENTITIES.get(), TopologyCounters.FULL_REPORT_REQUESTS.get(),
        new Memory(heap.getUsed(), heap.getCommitted(), heap.getMax(), rss()));
  }

  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: unknown
    }
    return -1;
  }
}
