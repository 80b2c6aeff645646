package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
