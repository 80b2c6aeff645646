package io.portolan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolTest {

  static final Payload.Container CONTAINER = new Payload.Container("abc123", "web", "nginx:1.27", "sha256:1",
      "running", 1000L, 2000L, Map.of("com.docker.compose.service", "web"), Map.of("DB_PASSWORD", "***"),
      List.of(new Payload.Port("127.0.0.1", 80, 8080, "tcp")), List.of("/data"), Map.of("bridge", "172.17.0.2"),
      "bridge", 0, "healthy", 1L << 30, 0.5);

  static AgentMessage.Report report(List<Entry> entries) {
    return new AgentMessage.Report(Protocol.VERSION, "agent-1", "host-1", 7, true, 123L, entries,
        List.of(new MetricSample(Keys.container("abc123"), "cpu_percent", 123L, 12.5)));
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    List<Object> messages = List.of(
        new AgentMessage.Hello(Protocol.VERSION, "agent-1", "host-1", "host-1.example", "0.1.0"),
        new AgentMessage.Hello(Protocol.VERSION, "agent-1", "host-1", "host-1.example", "0.1.0",
            List.of(AgentMessage.Hello.HOST_EXEC)),
        report(List.of(
            new Entry(Keys.container("abc123"), 100L, CONTAINER),
            new Entry(Keys.host("host-1"), 100L, new Payload.Host("host-1", List.of(new Payload.NetInterface("eth0",
                List.of("10.0.0.5"))), "Debian 12", "6.1.0", "amd64", 2, 1L << 34,
                List.of(new Payload.Mount("/", "/dev/vda", "ext4", 100, 40)), 0.5, 0.4, 0.3, 3600)),
            new Entry(Keys.process("host-1", 42), 100L, new Payload.Process(42, 1, "sh", "sh -c x", 0, "root", "/",
                "S", 1, "abc123")),
            new Entry(Keys.connection("host-1", "tcp", "10.0.0.5", 40000, "10.0.0.6", 80), 100L,
                new Payload.Connection("tcp", "10.0.0.5", 40000, "10.0.0.6", 80, true, 42, "abc123", 1, "proc")),
            Entry.tombstone(Keys.container("gone"), 101L))),
        new AgentMessage.ControlReply("r-1", true, "stopped", Map.of("exitCode", "0")),
        new AgentMessage.PipeData("p-1", "stderr", new byte[] {104, 105, 10, 0, (byte) 0xff}),
        new AgentMessage.PipeClosed("p-1", 3, null),
        new AgentMessage.PipeClosed("p-2", null, "no such file"));
    for (Object m : messages) {
      AgentMessage message = (AgentMessage) m;
      assertThat(Protocol.decodeAgentMessage(Protocol.encode(message))).isEqualTo(message);
    }
    List<ClusterMessage> back = List.of(
        new ClusterMessage.Welcome(Protocol.VERSION, "pekko://portolan@127.0.0.1:25520"),
        new ClusterMessage.Rejected("bad", 3, false),
        new ClusterMessage.RequestFullReport("entity moved"),
        new ClusterMessage.ControlRequest("r-1", Keys.container("abc123"), "stop", Map.of("timeout", "10")),
        new ClusterMessage.PipeOpen("p-1", "logs", Keys.container("abc123"), Map.of("follow", "true", "tail", "10")),
        new ClusterMessage.PipeInput("p-1", new byte[] {101, 99, 104, 111, 13}),
        new ClusterMessage.PipeResize("p-1", 120, 40),
        new ClusterMessage.PipeCredit("p-1", 16, 48),
        new ClusterMessage.PipeClose("p-1"));
    for (ClusterMessage message : back) {
      assertThat(Protocol.decodeClusterMessage(Protocol.encode(message))).isEqualTo(message);
    }
  }

  @Test
  void refusesBadPipeFrames() {
    assertThatThrownBy(() -> Protocol.validate(new AgentMessage.PipeData("", "stdout", new byte[1])))
        .hasMessageContaining("pipeId");
    assertThatThrownBy(() -> Protocol.validate(new AgentMessage.PipeData("p", "stdin", new byte[1])))
        .hasMessageContaining("stream");
    assertThatThrownBy(() -> Protocol.validate(new AgentMessage.PipeData("p", "data",
        new byte[Protocol.MAX_PIPE_CHUNK_BYTES + 1]))).hasMessageContaining("at most");
  }

  @Test
  void cborIsSmallerThanJson() throws Exception {
    AgentMessage.Report r = report(List.of(new Entry(Keys.container("abc123"), 100L, CONTAINER)));
    byte[] json = JsonMapper.builder().build().writerFor(AgentMessage.class).writeValueAsBytes(r);
    assertThat(Protocol.encode(r).length).isLessThan(json.length);
  }

  @Test
  void refusesMalformedAndOversizedFrames() {
    assertThatThrownBy(() -> Protocol.decodeAgentMessage(new byte[0])).hasMessageContaining("empty");
    assertThatThrownBy(() -> Protocol.decodeAgentMessage(new byte[] {(byte) 0xff, 0x01, 0x02}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed");
    byte[] valid = Protocol.encode(report(List.of()));
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);
    assertThatThrownBy(() -> Protocol.decodeAgentMessage(truncated)).hasMessageContaining("malformed");
    assertThatThrownBy(() -> Protocol.decodeAgentMessage(new byte[Protocol.MAX_FRAME_BYTES + 1]))
        .hasMessageContaining("exceeds the limit");
  }

  @Test
  void refusesWrongVersionsIdsAndKeys() {
    assertThatThrownBy(() -> Protocol.validate(new AgentMessage.Hello(99, "a", "h", "h", "x")))
        .hasMessageContaining("unsupported protocol version 99");
    assertThatThrownBy(() -> Protocol.validate(new AgentMessage.Hello(Protocol.VERSION, "", "h", "h", "x")))
        .hasMessageContaining("agentId");
    assertThatThrownBy(() -> Protocol.validate(report(List.of(new Entry(Keys.process("h", 1), 100L, CONTAINER)))))
        .hasMessageContaining("must start with 'container:'");
    assertThatThrownBy(() -> Protocol.validate(report(List.of(new Entry("container:x", 0L, CONTAINER)))))
        .hasMessageContaining("positive timestamp");
    assertThatThrownBy(() -> Protocol.validate(new AgentMessage.Report(Protocol.VERSION, "a", "h", 1, false, 1L,
        List.of(), List.of(new MetricSample("container:x", "cpu_percent", 1L, Double.NaN)))))
        .hasMessageContaining("finite value");
  }

  @Test
  void wrongTypesAreMalformed() throws Exception {
    byte[] frame = new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper().writeValueAsBytes(
        Map.of("type", "hello", "protocolVersion", "one", "agentId", "a", "hostId", "h"));
    assertThatThrownBy(() -> Protocol.decodeAgentMessage(frame)).hasMessageContaining("malformed");
    byte[] unknownType = new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper().writeValueAsBytes(
        Map.of("type", "launch-missiles"));
    assertThatThrownBy(() -> Protocol.decodeAgentMessage(unknownType)).hasMessageContaining("malformed");
  }

  static AgentMessage.Report batched(MetricBatch batch) {
    return new AgentMessage.Report(Protocol.VERSION, "agent-1", "host-1", 8, false, 123L, List.of(), null, batch);
  }

  static final MetricBatch BATCH = new MetricBatch(5_000L, List.of(Keys.container("abc123"), Keys.process("host-1", 42)),
      List.of(new MetricBatch.Column("cpu_percent", new int[] {0, 1}, new double[] {12.5, 3}),
          new MetricBatch.Column("memory_bytes", new int[] {0}, new double[] {1 << 30})));

  @Test
  void aColumnarMetricBatchRoundTripsAndIsSmallerThanTheSameSamples() throws Exception {
    AgentMessage.Report report = batched(BATCH);
    assertThat(Protocol.decodeAgentMessage(Protocol.encode(report))).isEqualTo(report);
    assertThat(report.sampleCount()).isEqualTo(3);
    List<String> seen = new java.util.ArrayList<>();
    BATCH.forEach((key, metric, t, v) -> seen.add(key + " " + metric + " " + t + " " + v));
    assertThat(seen).containsExactly("container:abc123 cpu_percent 5000 12.5", "process:host-1;42 cpu_percent 5000 3.0",
        "container:abc123 memory_bytes 5000 1.073741824E9");

    // 300 keys x 2 metrics: columns against one object per sample
    List<String> keys = new java.util.ArrayList<>();
    List<MetricSample> samples = new java.util.ArrayList<>();
    int[] index = new int[300];
    double[] values = new double[300];
    for (int i = 0; i < 300; i++) {
      keys.add(Keys.process("host-1", 1000 + i));
      index[i] = i;
      values[i] = i * 1.5;
      samples.add(new MetricSample(keys.get(i), "cpu_percent", 5_000L, values[i]));
      samples.add(new MetricSample(keys.get(i), "rss_bytes", 5_000L, values[i]));
    }
    MetricBatch big = new MetricBatch(5_000L, keys, List.of(new MetricBatch.Column("cpu_percent", index, values),
        new MetricBatch.Column("rss_bytes", index, values)));
    int columnar = Protocol.encode(batched(big)).length;
    int objects = Protocol.encode(new AgentMessage.Report(Protocol.VERSION, "agent-1", "host-1", 8, false, 123L,
        List.of(), samples)).length;
    assertThat(columnar).isLessThan(objects / 2);
  }

  @Test
  void aBadMetricBatchIsRejectedWithTheReason() {
    List<MetricBatch> bad = List.of(
        new MetricBatch(0, BATCH.keys(), BATCH.columns()),
        new MetricBatch(5_000L, null, BATCH.columns()),
        new MetricBatch(5_000L, List.of(" "), List.of()),
        new MetricBatch(5_000L, BATCH.keys(), List.of(new MetricBatch.Column("cpu_percent", new int[] {0, 1},
            new double[] {1}))),
        new MetricBatch(5_000L, BATCH.keys(), List.of(new MetricBatch.Column("cpu_percent", new int[] {2},
            new double[] {1}))),
        new MetricBatch(5_000L, BATCH.keys(), List.of(new MetricBatch.Column("cpu_percent", new int[] {-1},
            new double[] {1}))),
        new MetricBatch(5_000L, BATCH.keys(), List.of(new MetricBatch.Column("", new int[] {0}, new double[] {1}))),
        new MetricBatch(5_000L, BATCH.keys(), List.of(new MetricBatch.Column("cpu_percent", new int[] {0},
            new double[] {Double.NaN}))));
    for (MetricBatch batch : bad) {
      assertThatThrownBy(() -> Protocol.validate(batched(batch))).as(String.valueOf(batch))
          .isInstanceOf(ProtocolException.class).hasMessageContaining("metric batch");
    }
  }
}
