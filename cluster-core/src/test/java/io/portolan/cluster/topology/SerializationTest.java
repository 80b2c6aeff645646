package io.portolan.cluster.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Entry;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/** Every message of the topology package that can cross the cluster survives the configured (CBOR) serializer. */
class SerializationTest {

  private final Serialization serialization =
      SerializationExtension.get(Adapter.toClassic(HostEntityTest.testKit.system()));

  private Object roundTrip(Object message) {
    var serializer = serialization.findSerializerFor(message);
    assertThat(serializer.getClass().getSimpleName()).contains("Jackson");
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  @Test
  void everyMessageRoundTrips() {
    TestProbe<HostEntity.ToAgent> link = HostEntityTest.testKit.createTestProbe();
    TestProbe<HostDelta> reader = HostEntityTest.testKit.createTestProbe();
    TestProbe<HostEntity.MetricsReply> replies = HostEntityTest.testKit.createTestProbe();
    Entry container = HostEntityTest.container("a", "web", 100);
    HostDelta delta = new HostDelta("host-1", 7, 3, false, 100, HostStatus.STALE, "agent-1", "pekko://x@h:1", 99,
        List.of(container, Entry.tombstone("process:host-1;5", 100)), Map.of("container:a", Map.of("cpu_percent", 1.5)), 5);
    List<Object> messages = List.of(
        new HostEntity.Ingest(HostEntityTest.report(true, 1, 100, List.of(container),
            List.of(new io.portolan.protocol.MetricSample("container:a", "cpu_percent", 100, 3.0))), link.getRef()),
        new HostEntity.LinkClosed(link.getRef()),
        new HostEntity.SendSnapshot(reader.getRef()),
        new HostEntity.GetMetrics("container:a", 60, replies.getRef()),
        new HostEntity.MetricsReply("host-1", "container:a", Map.of("cpu_percent",
            new MetricStore.Series("cpu_percent", 1, 1, 2, 1.5, List.of(new MetricStore.Sample(1000, 1))))),
        new HostEntity.ToAgent(new ClusterMessage.RequestFullReport("moved")),
        new HostEntity.ToAgent(new ClusterMessage.Rejected("bad", 3, true)),
        new HostEntity.ToAgent(new ClusterMessage.Welcome(1, "node")),
        new HostEntity.ToAgent(new ClusterMessage.ControlRequest("r1", "container:a", "stop", Map.of())),
        delta);
    for (Object message : messages) {
      assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
    }
  }

  @Test
  void anIngestTravelsAsTheAgentsOwnFrame() {
    TestProbe<HostEntity.ToAgent> link = HostEntityTest.testKit.createTestProbe();
    List<Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      entries.add(HostEntityTest.container("c" + i, "web-" + i, 100));
    }
    var report = HostEntityTest.report(true, 1, 100, entries, List.of());
    byte[] frame = io.portolan.protocol.Protocol.encode(report);
    HostEntity.Ingest ingest = new HostEntity.Ingest(report, link.getRef(), frame, List.of("host-exec"));
    byte[] wire = serialization.serialize(ingest).get();
    // the frame as one byte string plus the link's path: no second encoding of the entries
    assertThat(wire.length).isBetween(frame.length, frame.length + 300);
    HostEntity.Ingest back = (HostEntity.Ingest) roundTrip(ingest);
    assertThat(back).isEqualTo(ingest);
    assertThat(back.frame()).isEqualTo(frame);
    assertThat(back.report().entries()).hasSize(50);
    assertThat(back.capabilities()).as("what the agent's Hello allowed").containsExactly("host-exec");
  }

  @Test
  void aHostDeltaIsEncodedOnceWithItsMetricKeysAsValues() {
    Map<String, Map<String, Double>> metrics = new java.util.HashMap<>();
    for (int i = 0; i < 60; i++) {
      metrics.put("process:host-1;" + (1000 + i), Map.of("cpu_percent", i * 0.5, "rss_bytes", 1e6 + i));
    }
    metrics.put("container:a", Map.of("cpu_percent", 3.0));
    HostDelta delta = new HostDelta("host-1", 7, 3, false, 100, HostStatus.LIVE, "agent-1", "pekko://x@h:1", 99,
        List.of(HostEntityTest.container("a", "web", 100)), metrics, 5);
    byte[] first = serialization.serialize(delta).get();
    byte[] second = serialization.serialize(delta).get();
    assertThat(second).isEqualTo(first);
    assertThat(delta.wireBytes()).isSameAs(delta.wireBytes());
    HostDelta back = (HostDelta) roundTrip(delta);
    assertThat(back).isEqualTo(delta);
    assertThat(back.metrics()).isEqualTo(metrics);
    // 61 keys and 121 values in columns: far less than a map of maps with every metric name repeated
    assertThat(first.length).isLessThan(60 * 40 + 121 * 9 + 400);
  }
}
