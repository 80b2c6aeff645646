package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.TopologyStore.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered view, rendered from {@link Fixtures}, compared with its golden JSON in
 * {@code src/test/resources/golden/}. To accept a deliberate change: run with
 * {@code -Dgolden.update=true} and review the diff of the golden files.
 */
class ViewsGoldenTest {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  static Stream<String> views() {
    return Views.REGISTRY.stream().map(ViewDesc::name);
  }

  @ParameterizedTest
  @MethodSource("views")
  void viewMatchesGolden(String name) throws Exception {
    ViewDesc view = Views.byName(name).orElseThrow();
    Model model = Fixtures.model();
    Topology full = view.render().apply(model);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("view", full);
    doc.put("running-application", Filters.parse(Map.of("state", List.of("running"), "category", List.of("application")))
        .apply(full));
    doc.put("connected", Filters.parse(Map.of("connectivity", List.of("connected"))).apply(full));
    doc.put("label-app=shop", Filters.parse(Map.of("label", List.of("app=shop"))).apply(full));
    doc.put("namespace-shop", Filters.parse(Map.of("namespace", List.of("shop"))).apply(full));
    if (!full.nodes().isEmpty()) {
      ViewNode first = full.nodes().stream().filter(n -> n.id().contains("web") || n.id().contains("nginx")
          || n.id().contains("alpha")).findFirst().orElse(full.nodes().get(0));
      doc.put("detail:" + first.id(), Details.detail(view, model, full, first.id()).orElseThrow());
    }
    assertGolden(name + ".json", doc);
  }

  /**
   * Renders memoise per host on snapshot identity: after a change to one host (beta's api moves to
   * another address, so alpha's edge to it must go; a container is renamed), a render that reuses
   * the unchanged hosts' memos equals a render of fresh copies of every snapshot (no memo hit).
   */
  @Test
  void memoisedRendersEqualRendersFromScratchAfterAChange() {
    HostSnapshot alpha = Fixtures.alpha();
    HostSnapshot gamma = Fixtures.gamma();
    Model before = Model.of(List.of(alpha, Fixtures.beta(), gamma));
    HostDelta change = new HostDelta("beta", 1, 2, false, Fixtures.T + 1000, HostStatus.LIVE, "agent-beta", "n",
        Fixtures.T + 1000, List.of(
            io.portolan.protocol.Entry.tombstone(
                Fixtures.conn("beta", "10.0.1.5", 8080, "172.17.0.2", 40001, false, 301, "api0000000000000000000005", 1)
                    .key(), Fixtures.T + 1000),
            later(Fixtures.container("api0000000000000000000005", "/api-renamed", "portolan/api:2.0", "running",
                "unhealthy", Map.of("app", "api", "io.portolan.hostname", "api.internal"), Map.of("net", "10.0.1.6")))),
        Map.of(), Fixtures.T + 1000);
    Model after = Model.of(List.of(alpha, Fixtures.beta().apply(change, Fixtures.T + 1000), gamma));
    Model fresh = Model.of(after.hosts().stream().map(ViewsGoldenTest::copy).toList());
    for (ViewDesc view : Views.REGISTRY) {
      Topology first = view.render().apply(before);
      Topology memoised = view.render().apply(after);
      assertThat(memoised).as(view.name()).isEqualTo(view.render().apply(fresh));
      assertThat(view.render().apply(before)).as(view.name() + " again").isEqualTo(first);
    }
    Topology containers = Renderers.containers(after);
    assertThat(containers.nodes()).extracting(ViewNode::label).contains("api-renamed");
    assertThat(containers.edges()).extracting(ViewEdge::target).doesNotContain("container:api0000000000000000000005");
  }

  private static io.portolan.protocol.Entry later(io.portolan.protocol.Entry e) {
    return new io.portolan.protocol.Entry(e.key(), Fixtures.T + 1000, e.payload());
  }

  /** The same snapshot with new objects for everything memos look at. */
  private static HostSnapshot copy(HostSnapshot h) {
    return new HostSnapshot(h.hostId(), h.epoch(), h.version(), h.status(), h.agentId(), h.servedBy(), h.lastHeardAt(),
        h.state(), new java.util.HashMap<>(h.live()), io.portolan.cluster.topology.MetricValues.of(h.metrics().toMap()));
  }

  @Test
  void viewsArePureFunctionsOfTheModel() {
    for (ViewDesc view : Views.REGISTRY) {
      assertThat(view.render().apply(Fixtures.model())).isEqualTo(view.render().apply(Fixtures.model()));
    }
  }

  @Test
  void searchMatchesGolden() throws Exception {
    Model model = Fixtures.model();
    Map<String, Object> doc = new LinkedHashMap<>();
    for (String q : List.of("nginx", "type:container shop", "cpu>70", "type:process cpu>=90", "10.0.1.5",
        "mem>500m type:container", "postgres -D", "api.internal", "nothing-matches")) {
      doc.put(q, Search.run(model, q, 50));
    }
    assertGolden("search.json", doc);
  }

  @Test
  void kubernetesViewsAreListedOnlyWhenAHostReportsKubernetesObjects() {
    Model withoutKubernetes = Model.of(List.of(Fixtures.beta(), Fixtures.gamma()));
    assertThat(Views.REGISTRY.stream().filter(v -> v.shown().test(withoutKubernetes)).map(ViewDesc::name))
        .containsExactly("processes", "processes-by-name", "containers", "containers-by-image",
            "containers-by-hostname", "hosts");
    assertThat(Views.REGISTRY.stream().filter(v -> v.shown().test(Fixtures.model())).map(ViewDesc::name))
        .contains("pods", "services", "deployments", "namespaces");
  }

  @Test
  void unknownNodeHasNoDetail() {
    ViewDesc view = Views.byName("containers").orElseThrow();
    Model model = Fixtures.model();
    assertThat(Details.detail(view, model, view.render().apply(model), "container:nope")).isEmpty();
  }

  private static void assertGolden(String file, Object doc) throws Exception {
    String actual = JSON.writeValueAsString(doc) + "\n";
    Path path = GOLDEN.resolve(file);
    if (Boolean.getBoolean("golden.update") || !Files.exists(path)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(path, actual);
    }
    assertThat(actual).as("golden file " + path + " (rerun with -Dgolden.update=true to accept a change)")
        .isEqualTo(Files.readString(path));
  }
}
