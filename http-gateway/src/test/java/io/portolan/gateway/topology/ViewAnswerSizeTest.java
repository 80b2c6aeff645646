package io.portolan.gateway.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.cluster.view.Topology;
import io.portolan.cluster.view.ViewDesc;
import io.portolan.cluster.view.Views;
import io.portolan.gateway.http.Json;
import io.portolan.loadgen.Profile;
import io.portolan.loadgen.SimHost;
import io.portolan.protocol.AgentMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * How big a view answer is at the load generator's host shape (issue 4's benchmark), and where the
 * bytes go: per field of the nodes and edges, summed over the answer. Prints the breakdown (the
 * table in loadgen/BENCHMARK.md, "answer size") and checks that the bytes per node stay within a bound.
 * Run alone: {@code mvn -o -pl http-gateway test -Dtest=ViewAnswerSizeTest -Dskip.npm}; with
 * {@code -Dsize.hosts=1000} it renders the benchmark's 1,000 hosts (default 100: the same shape per host).
 */
class ViewAnswerSizeTest {

  static Model loadgenModel(int hosts) {
    List<HostSnapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      SimHost sim = new SimHost(i, hosts, Profile.DEFAULT);
      AgentMessage.Report full = sim.full();
      Map<String, Map<String, Double>> metrics = new HashMap<>();
      full.metrics().forEach((key, metric, t, v) -> metrics.computeIfAbsent(key, k -> new TreeMap<>()).put(metric, v));
      HostDelta delta = new HostDelta(sim.hostId(), 1, 1, true, full.sentAt(), HostStatus.LIVE, sim.agentId(),
          "pekko://portolan@127.0.0.1:25520", full.sentAt(), full.entries(), metrics, full.sentAt());
      snapshots.add(HostSnapshot.empty(sim.hostId()).apply(delta, full.sentAt()));
    }
    return Model.of(snapshots);
  }

  /** Bytes of the answer per top-level field of its nodes (or edges), key and value separately. */
  static Map<String, long[]> accounting(JsonNode items) {
    Map<String, long[]> out = new TreeMap<>();
    for (JsonNode item : items) {
      Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        long[] acc = out.computeIfAbsent(f.getKey(), k -> new long[3]);
        acc[0] += f.getKey().length() + 4; // "key": and the comma
        acc[1] += utf8(f.getValue().toString());
        if (f.getValue().isObject()) { // a map: its own keys vs values
          Iterator<Map.Entry<String, JsonNode>> inner = f.getValue().fields();
          while (inner.hasNext()) {
            Map.Entry<String, JsonNode> e = inner.next();
            acc[2] += e.getKey().length() + 4;
          }
        }
      }
    }
    return out;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String report(String name, Topology t, byte[] answer) throws Exception {
    JsonNode tree = Json.MAPPER.readTree(answer);
    StringBuilder b = new StringBuilder();
    b.append(String.format("%s: %,d bytes, %,d nodes, %,d edges, %.0f bytes per node, %.0f per edge%n", name,
        answer.length, t.nodes().size(), t.edges().size(),
        (double) utf8(tree.get("nodes").toString()) / Math.max(1, t.nodes().size()),
        (double) utf8(tree.get("edges").toString()) / Math.max(1, t.edges().size())));
    for (String part : List.of("nodes", "edges")) {
      accounting(tree.get(part)).forEach((field, acc) -> b.append(String.format(
          "  %s.%-12s %,12d bytes (%5.1f %%): key %,d, value %,d (of which map keys %,d)%n", part, field,
          acc[0] + acc[1], 100.0 * (acc[0] + acc[1]) / answer.length, acc[0], acc[1], acc[2])));
    }
    return b.toString();
  }

  /** What gzip (levels 1 and 6) would make of the answer, and the CPU time it takes on this machine (best of 5). */
  static String gzip(byte[] answer) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int level : new int[] {1, 6}) {
      long best = Long.MAX_VALUE;
      int size = 0;
      for (int i = 0; i < 5; i++) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long s = System.nanoTime();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out, 65536) {
          { def.setLevel(level); }
        }) {
          z.write(answer);
        }
        best = Math.min(best, System.nanoTime() - s);
        size = out.size();
      }
      b.append(String.format("  gzip level %d: %,d bytes (%.1f %%), %.1f ms%n", level, size, 100.0 * size / answer.length,
          best / 1e6));
    }
    return b.toString();
  }

  @Test
  void containersAnswerAtTheLoadGeneratorsShape() throws Exception {
    int hosts = Integer.getInteger("size.hosts", 100);
    Model model = loadgenModel(hosts);
    for (String name : List.of("containers", "processes")) {
      ViewDesc view = Views.byName(name).orElseThrow();
      Topology t = view.render().apply(model);
      byte[] answer = new ViewJson().response(view.name(), view.label(), 1, t, false).whole().toArray();
      System.out.print(report(name + " at " + hosts + " hosts", t, answer));
      System.out.print(gzip(answer));
      ViewJson cached = new ViewJson();
      cached.response(view.name(), view.label(), 1, t, true);
      long best = Long.MAX_VALUE;
      long bestEdges = Long.MAX_VALUE;
      for (int i = 0; i < 10; i++) {
        long s = System.nanoTime();
        cached.response(view.name(), view.label(), 1, t, true);
        long m = System.nanoTime();
        EdgePositions.of(t.nodes(), t.edges());
        long e = System.nanoTime();
        best = Math.min(best, m - s);
        bestEdges = Math.min(bestEdges, e - m);
      }
      System.out.printf("  an answer from cached node pieces: %.1f ms (best of 10), of it edge positions %.1f ms%n",
          best / 1e6, bestEdges / 1e6);
      assertThat(t.nodes()).isNotEmpty();
      // Before the compact form (2026-12-03) 1,531 (containers) and 392 (processes) bytes per node, edges
      // included; after it 454 and 228. A bound well above that, so that what is left out stays out.
      assertThat((double) answer.length / t.nodes().size()).as("bytes per node of " + name)
          .isLessThan(name.equals("containers") ? 600 : 300);
    }
  }
}
