package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Payload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Engine JSON → payload mapping, on trimmed real answers (API 1.41). */
class DockerHttpPortTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static final String INSPECT = """
      {"Id":"abc","Created":"2026-11-23T16:19:25.1Z","Name":"/web-1","Image":"sha256:56cb","RestartCount":2,
       "State":{"Status":"running","StartedAt":"2026-11-23T16:19:26Z","Health":{"Status":"healthy"}},
       "HostConfig":{"NetworkMode":"bridge","Memory":268435456,"NanoCpus":1500000000},
       "Config":{"Image":"nginx:1.27","Env":["PATH=/bin","DB_PASSWORD=x","NOVALUE"],
                 "Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"web"}},
       "Mounts":[{"Type":"bind","Source":"/srv","Destination":"/data","RW":false}],
       "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}],"443/tcp":null},
                          "Networks":{"bridge":{"IPAddress":"172.17.0.2"},"shop_default":{"IPAddress":"172.18.0.5"}}}}
      """;

  @Test
  void mapsInspectToAContainerPayload() throws Exception {
    Payload.Container c = DockerHttpPort.toContainer(JSON.readTree(INSPECT));
    assertThat(c.id()).isEqualTo("abc");
    assertThat(c.name()).isEqualTo("web-1");
    assertThat(c.image()).isEqualTo("nginx:1.27");
    assertThat(c.imageId()).isEqualTo("sha256:56cb");
    assertThat(c.state()).isEqualTo("running");
    assertThat(c.health()).isEqualTo("healthy");
    assertThat(c.restartCount()).isEqualTo(2);
    assertThat(c.createdAt()).isEqualTo(java.time.Instant.parse("2026-11-23T16:19:25.1Z").toEpochMilli());
    assertThat(c.startedAt()).isPositive();
    assertThat(c.memoryLimitBytes()).isEqualTo(268435456L);
    assertThat(c.cpuLimit()).isEqualTo(1.5);
    assertThat(c.env()).containsEntry("DB_PASSWORD", "x").containsEntry("NOVALUE", "");
    assertThat(c.composeProject()).isEqualTo("shop");
    assertThat(c.composeService()).isEqualTo("web");
    assertThat(c.ports()).containsExactlyInAnyOrder(new Payload.Port("0.0.0.0", 80, 8080, "tcp"),
        new Payload.Port("", 443, 0, "tcp"));
    assertThat(c.mounts()).containsExactly("bind:/srv:/data:ro");
    assertThat(c.networks()).containsEntry("bridge", "172.17.0.2").containsEntry("shop_default", "172.18.0.5");
    assertThat(c.networkMode()).isEqualTo("bridge");
  }

  @Test
  void mapsOneShotStatsAndComputesPercentsAndRates() throws Exception {
    String a = """
        {"read":"2026-11-23T16:19:25.000Z","pids_stats":{"current":3},
         "cpu_stats":{"cpu_usage":{"total_usage":1000000000},"system_cpu_usage":100000000000,"online_cpus":2},
         "memory_stats":{"usage":10485760,"limit":1073741824,"stats":{"inactive_file":1048576}},
         "networks":{"eth0":{"rx_bytes":1000,"tx_bytes":500}},
         "blkio_stats":{"io_service_bytes_recursive":[{"op":"read","value":4096},{"op":"write","value":0}]}}
        """;
    String b = a.replace("16:19:25.000Z", "16:19:27.000Z").replace("1000000000}", "1500000000}")
        .replace("100000000000", "102000000000").replace("\"rx_bytes\":1000", "\"rx_bytes\":3000");
    var s1 = DockerHttpPort.toStats(JSON.readTree(a)).orElseThrow();
    var s2 = DockerHttpPort.toStats(JSON.readTree(b)).orElseThrow();
    assertThat(s1.memoryUsageBytes()).isEqualTo(9437184L);
    List<MetricSample> samples = ContainerMetrics.samples("container:x", s1, s2, 1);
    assertThat(samples).contains(new MetricSample("container:x", "cpu_percent", 1, 50.0),
        new MetricSample("container:x", "net_rx_bytes_per_s", 1, 1000.0),
        new MetricSample("container:x", "pids", 1, 3),
        new MetricSample("container:x", "memory_limit_bytes", 1, 1073741824.0));
    assertThat(ContainerMetrics.samples("container:x", null, s1, 1)).extracting(MetricSample::metric)
        .doesNotContain("cpu_percent");
  }

  @Test
  void statsOfAStoppedContainerAreEmpty() throws Exception {
    assertThat(DockerHttpPort.toStats(JSON.readTree("{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":0}}}"))).isEmpty();
  }
}
