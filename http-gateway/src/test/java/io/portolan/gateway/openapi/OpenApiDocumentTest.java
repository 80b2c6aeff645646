package io.portolan.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.http.HttpApi;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is valid OpenAPI 3, names exactly the endpoints the route classes declare,
 * and every route class declares its endpoints (so a new route class cannot stay undocumented).
 * {@code OpenApiCoverageIT} then probes each endpoint on a running node.
 */
class OpenApiDocumentTest {

  /** Serves files and client-side paths of the UI; HttpApi names its entry ("/") for it. */
  private static final Set<String> WITHOUT_OWN_LIST = Set.of("io.portolan.gateway.ui.UiRoutes");

  @Test
  void theDocumentIsValidOpenApi3() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIParser().readContents(OpenApiRoutes.document().toString(), null, options);
    assertThat(result.getMessages()).as("OpenAPI validation messages").isEmpty();
    assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.");
  }

  @Test
  void everyDeclaredEndpointIsDocumentedAndEveryDocumentedOneIsDeclared() {
    Set<String> declared = new TreeSet<>();
    HttpApi.endpoints().forEach(e -> assertThat(declared.add(e.toString())).as("declared twice: " + e).isTrue());
    assertThat(documented()).isEqualTo(declared);
  }

  @Test
  void everyRouteClassDeclaresItsEndpointsAndHttpApiGathersThem() throws Exception {
    List<String> problems = new ArrayList<>();
    Set<ApiEndpoint> gathered = Set.copyOf(HttpApi.endpoints());
    for (String name : routeClasses()) {
      if (WITHOUT_OWN_LIST.contains(name)) {
        continue;
      }
      Field field;
      try {
        field = Class.forName(name).getField("ENDPOINTS");
      } catch (NoSuchFieldException e) {
        problems.add(name + " has no 'public static final List<ApiEndpoint> ENDPOINTS': declare what its routes"
            + " answer, add the list to HttpApi.endpoints() and document the paths in openapi/portolan.yaml");
        continue;
      }
      assertThat(Modifier.isStatic(field.getModifiers())).as(name + ".ENDPOINTS is static").isTrue();
      for (Object e : (List<?>) field.get(null)) {
        if (!gathered.contains(e)) {
          problems.add(name + " declares " + e + " but HttpApi.endpoints() does not list it");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** "METHOD /path" of every operation in the document. */
  static Set<String> documented() {
    Set<String> out = new TreeSet<>();
    JsonNode paths = OpenApiRoutes.document().get("paths");
    paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(key -> {
      if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(key)) {
        out.add(key.toUpperCase(java.util.Locale.ROOT) + " " + path);
      }
    }));
    return out;
  }

  /** Every compiled class of the gateway whose name ends in "Routes". */
  private static List<String> routeClasses() throws IOException, URISyntaxException {
    Path root = Path.of(HttpApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString())
          .filter(p -> p.endsWith("Routes.class") && !p.contains("$"))
          .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .toList();
    }
  }
}
