package io.portolan.cluster.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.cluster.TestConfigs;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.ClusterMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import io.portolan.protocol.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The host entity with a probe in place of the pub-sub topic and a clock the test moves. */
class HostEntityTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      TestConfigs.clusterNode().withFallback(ConfigFactory.load()));

  static final TopologySettings SETTINGS = new TopologySettings(Duration.ofSeconds(3), Duration.ofSeconds(6),
      Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(250),
      Duration.ofMillis(100), 60, Duration.ofSeconds(5), Duration.ofMinutes(5));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A clock the test sets. */
  static final class ManualClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochMilli(millis.get());
    }
  }

  static Entry container(String id, String name, long ts) {
    return new Entry("container:" + id, ts, new Payload.Container(id, name, "nginx:1", "sha", "running", 1, 1,
        Map.of(), Map.of(), List.of(), List.of(), Map.of(), "bridge", 0, null, 0, 0));
  }

  static AgentMessage.Report report(boolean full, long seq, long sentAt, List<Entry> entries, List<MetricSample> samples) {
    return new AgentMessage.Report(Protocol.VERSION, "agent-1", "host-1", seq, full, sentAt, entries, samples);
  }

  @SuppressWarnings("unchecked")
  static HostDelta published(TestProbe<Topic.Command<HostDelta>> topic) {
    Topic.Command<HostDelta> cmd = topic.receiveMessage(Duration.ofSeconds(3));
    return ((org.apache.pekko.actor.typed.internal.pubsub.TopicImpl.Publish<HostDelta>) cmd).message();
  }

  @Test
  void aDeltaBeforeAnyFullReportAsksTheAgentForOneAndFullReportsAreAuthoritative() {
    TestProbe<Topic.Command<HostDelta>> topic = testKit.createTestProbe();
    TestProbe<io.portolan.cluster.topology.HostEntity.ToAgent> link = testKit.createTestProbe();
    ManualClock clock = new ManualClock();
    ActorRef<HostEntity.Command> entity = testKit.spawn(HostEntity.create("host-1", SETTINGS, topic.getRef(), clock));

    entity.tell(new HostEntity.Ingest(report(false, 5, 100, List.of(container("a", "web", 100)), List.of()), link.getRef()));
    assertThat(link.receiveMessage().message()).isInstanceOf(ClusterMessage.RequestFullReport.class);
    HostDelta first = published(topic);
    assertThat(first.full()).isFalse();
    assertThat(first.entries()).extracting(Entry::key).containsExactly("container:a");
    // Deltas alone are no snapshot: a reader would drop every entry the delta did not name.
    TestProbe<HostDelta> early = testKit.createTestProbe();
    entity.tell(new HostEntity.SendSnapshot(early.getRef()));
    early.expectNoMessage(Duration.ofMillis(200));

    entity.tell(new HostEntity.Ingest(report(true, 6, 200, List.of(container("b", "db", 200)),
        List.of(new MetricSample("container:b", "cpu_percent", 200_000, 12.5))), link.getRef()));
    HostDelta full = published(topic);
    assertThat(full.full()).isTrue();
    assertThat(full.entries()).extracting(Entry::key).containsExactly("container:b");
    assertThat(full.version()).isEqualTo(first.version() + 1);
    assertThat(full.metrics()).containsEntry("container:b", Map.of("cpu_percent", 12.5));

    // A reader applying both ends with only b: the full report removed a.
    HostSnapshot reader = HostSnapshot.empty("host-1").apply(first, 1).apply(full, 2);
    assertThat(reader.live()).containsOnlyKeys("container:b");

    // Now that it has a full report, deltas do not ask again.
    entity.tell(new HostEntity.Ingest(report(false, 7, 300, List.of(container("b", "db2", 300)), List.of()), link.getRef()));
    assertThat(published(topic).entries()).extracting(e -> ((Payload.Container) e.payload()).name()).containsExactly("db2");
    link.expectNoMessage(Duration.ofMillis(200));

    TestProbe<HostEntity.MetricsReply> metrics = testKit.createTestProbe();
    entity.tell(new HostEntity.GetMetrics("container:b", 900, metrics.getRef()));
    clock.millis.set(200_500);
    var series = metrics.receiveMessage().series();
    assertThat(series).containsKey("cpu_percent");

    TestProbe<HostDelta> snapshot = testKit.createTestProbe();
    entity.tell(new HostEntity.SendSnapshot(snapshot.getRef()));
    HostDelta snap = snapshot.receiveMessage();
    assertThat(snap.full()).isTrue();
    assertThat(snap.entries()).hasSize(1);
    testKit.stop(entity);
  }

  @Test
  void theLinkComesWithWhatTheAgentsHelloAllowed() {
    TestProbe<Topic.Command<HostDelta>> topic = testKit.createTestProbe();
    TestProbe<HostEntity.ToAgent> link = testKit.createTestProbe();
    ActorRef<HostEntity.Command> entity = testKit.spawn(HostEntity.create("host-1", SETTINGS, topic.getRef(),
        new ManualClock()));
    TestProbe<HostEntity.LinkReply> reply = testKit.createTestProbe();

    entity.tell(new HostEntity.GetLink(reply.getRef()));
    HostEntity.LinkReply none = reply.receiveMessage();
    assertThat(none.link()).isNull();
    assertThat(none.problem()).contains("not connected");

    var report = report(true, 1, 100, List.of(container("a", "web", 100)), List.of());
    entity.tell(new HostEntity.Ingest(report, link.getRef(), null, List.of()));
    entity.tell(new HostEntity.GetLink(reply.getRef()));
    HostEntity.LinkReply without = reply.receiveMessage();
    assertThat(without.link()).isEqualTo(link.getRef());
    assertThat(without.capabilities()).isEmpty();

    entity.tell(new HostEntity.Ingest(report(false, 2, 200, List.of(), List.of()), link.getRef(), null,
        List.of("host-exec")));
    entity.tell(new HostEntity.GetLink(reply.getRef()));
    assertThat(reply.receiveMessage().capabilities()).containsExactly("host-exec");
    testKit.stop(entity);
  }

  @Test
  void aSilentHostTurnsStaleThenIsRemovedAndTheEntityStops() {
    TestProbe<Topic.Command<HostDelta>> topic = testKit.createTestProbe();
    TestProbe<HostEntity.ToAgent> link = testKit.createTestProbe();
    ManualClock clock = new ManualClock();
    ActorRef<HostEntity.Command> entity = testKit.spawn(HostEntity.create("host-1", SETTINGS, topic.getRef(), clock));
    entity.tell(new HostEntity.Ingest(report(true, 1, 100, List.of(container("a", "web", 100)), List.of()), link.getRef()));
    assertThat(published(topic).status()).isEqualTo(HostStatus.LIVE);

    clock.millis.addAndGet(3_500);
    assertThat(published(topic).status()).isEqualTo(HostStatus.STALE);
    clock.millis.addAndGet(3_000);
    assertThat(published(topic).status()).isEqualTo(HostStatus.REMOVED);
    TestProbe<Object> watcher = testKit.createTestProbe();
    watcher.expectTerminated(entity, Duration.ofSeconds(3));
  }

  @Test
  void metricOnlyReportsAreBatchedWhileStructureChangesGoOutAtOnce() {
    TopologySettings settings = new TopologySettings(Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(250),
        Duration.ofMillis(100), 60, Duration.ofSeconds(5), Duration.ofMinutes(5));
    TestProbe<Topic.Command<HostDelta>> topic = testKit.createTestProbe();
    TestProbe<HostEntity.ToAgent> link = testKit.createTestProbe();
    ManualClock clock = new ManualClock();
    long t0 = clock.millis();
    ActorRef<HostEntity.Command> entity = testKit.spawn(HostEntity.create("host-1", settings, topic.getRef(), clock));
    entity.tell(new HostEntity.Ingest(report(true, 1, t0, List.of(container("a", "web", t0)), List.of()), link.getRef()));
    assertThat(published(topic).full()).isTrue();

    // 1 s later, only a metric changed: nothing is published yet.
    clock.millis.addAndGet(1_000);
    entity.tell(new HostEntity.Ingest(report(false, 2, t0 + 1_000, List.of(),
        List.of(new MetricSample("container:a", "cpu_percent", t0 + 1_000, 10))), link.getRef()));
    topic.expectNoMessage(Duration.ofMillis(300));

    // A rename is a structure change: published at once, with the metric value held back so far.
    clock.millis.addAndGet(1_000);
    entity.tell(new HostEntity.Ingest(report(false, 3, t0 + 2_000, List.of(container("a", "web2", t0 + 2_000)),
        List.of()), link.getRef()));
    HostDelta rename = published(topic);
    assertThat(rename.full()).isFalse();
    assertThat(rename.entries()).extracting(Entry::key).containsExactly("container:a");
    assertThat(rename.metrics()).containsEntry("container:a", Map.of("cpu_percent", 10.0));

    // A full report that changes nothing publishes nothing before the heartbeat is due ...
    clock.millis.addAndGet(1_000);
    entity.tell(new HostEntity.Ingest(report(true, 4, t0 + 3_000, List.of(container("a", "web2", t0 + 2_000)),
        List.of(new MetricSample("container:a", "cpu_percent", t0 + 3_000, 20))), link.getRef()));
    topic.expectNoMessage(Duration.ofMillis(300));
    // ... and then a metric-only delta with the latest values.
    clock.millis.addAndGet(5_000);
    entity.tell(new HostEntity.Ingest(report(false, 5, t0 + 8_000, List.of(),
        List.of(new MetricSample("container:a", "cpu_percent", t0 + 8_000, 30))), link.getRef()));
    HostDelta heartbeat = published(topic);
    assertThat(heartbeat.entries()).isEmpty();
    assertThat(heartbeat.version()).isEqualTo(rename.version() + 1);
    assertThat(heartbeat.metrics()).containsEntry("container:a", Map.of("cpu_percent", 30.0));

    // The entity still keeps every second for the sparklines.
    TestProbe<HostEntity.MetricsReply> metrics = testKit.createTestProbe();
    entity.tell(new HostEntity.GetMetrics("container:a", 60, metrics.getRef()));
    assertThat(metrics.receiveMessage().series().get("cpu_percent").samples())
        .extracting(MetricStore.Sample::v).containsExactly(10.0, 20.0, 30.0);
    testKit.stop(entity);
  }

  @Test
  void columnarMetricBatchesFeedTheRingsAndThePublishedValues() {
    TestProbe<Topic.Command<HostDelta>> topic = testKit.createTestProbe();
    TestProbe<HostEntity.ToAgent> link = testKit.createTestProbe();
    ManualClock clock = new ManualClock();
    long t0 = clock.millis();
    ActorRef<HostEntity.Command> entity = testKit.spawn(HostEntity.create("host-1", SETTINGS, topic.getRef(), clock));
    io.portolan.protocol.MetricBatch batch = new io.portolan.protocol.MetricBatch(t0, List.of("container:a"),
        List.of(new io.portolan.protocol.MetricBatch.Column("cpu_percent", new int[] {0}, new double[] {42.5}),
            new io.portolan.protocol.MetricBatch.Column("memory_bytes", new int[] {0}, new double[] {1 << 20})));
    entity.tell(new HostEntity.Ingest(new AgentMessage.Report(Protocol.VERSION, "agent-1", "host-1", 1, true, t0,
        List.of(container("a", "web", t0)), null, batch), link.getRef()));
    assertThat(published(topic).metrics()).containsEntry("container:a",
        Map.of("cpu_percent", 42.5, "memory_bytes", (double) (1 << 20)));
    TestProbe<HostEntity.MetricsReply> metrics = testKit.createTestProbe();
    entity.tell(new HostEntity.GetMetrics("container:a", 60, metrics.getRef()));
    assertThat(metrics.receiveMessage().series().get("cpu_percent").latest()).isEqualTo(42.5);
    testKit.stop(entity);
  }
}
