package io.portolan.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.gateway.http.HttpApi;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.TestNode;
import io.portolan.persistence.testing.TestCassandra;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint that the routes declare (and so, by {@link OpenApiDocumentTest}, every documented
 * one) exists on a running node: called with an admin token it answers neither the router's 404
 * ("no such route") nor 405. The document and its page are public.
 */
class OpenApiCoverageIT {

  /** A value for each path parameter name used in the document. */
  private static final Map<String, String> SAMPLES = Map.of(
      "name", "admin",
      "id", "0123456789abcdef",
      "view", "containers",
      "nodeId", "no-such-node",
      "asset", "swagger-ui.css",
      "action", "stop",
      "hostId", "no-such-host");

  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("openapi"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyDeclaredEndpointIsRouted() {
    HttpCalls.Client admin = node.admin();
    List<String> problems = new ArrayList<>();
    // Logging out revokes the token: last.
    List<ApiEndpoint> endpoints = HttpApi.endpoints().stream()
        .sorted(Comparator.comparing(e -> e.path().equals("/api/auth/logout")))
        .toList();
    for (ApiEndpoint e : endpoints) {
      String url = node.baseUri() + concrete(e.path());
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + admin.token())
          .header("Content-Type", "application/json");
      request = switch (e.method()) {
        case "GET" -> request.GET();
        case "DELETE" -> request.DELETE();
        default -> request.method(e.method(), HttpRequest.BodyPublishers.ofString("{}"));
      };
      HttpCalls.Reply reply = HttpCalls.send(request);
      boolean noRoute = reply.status() == 404 && reply.body().contains("no such route");
      if (noRoute || reply.status() == 405) {
        problems.add(e + " → " + reply.status() + " " + reply.body());
      }
    }
    assertThat(problems).as("declared endpoints that the node does not route").isEmpty();
  }

  @Test
  void theDocumentAndItsPageArePublic() {
    HttpCalls.Reply doc = HttpCalls.get(node.baseUri() + "/api/openapi.json");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.headers().get("content-type").get(0)).startsWith("application/json");
    assertThat(doc.json().get("openapi").asText()).startsWith("3.");
    assertThat(doc.json().get("paths").has("/api/topology/{view}/ws")).isTrue();

    HttpCalls.Reply page = HttpCalls.get(node.baseUri() + "/api/docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui-bundle.js");
    for (String asset : List.of("swagger-ui.css", "swagger-ui-bundle.js", "init.js")) {
      HttpCalls.Reply file = HttpCalls.get(node.baseUri() + "/api/docs/" + asset);
      assertThat(file.status()).as(asset).isEqualTo(200);
      assertThat(file.body()).as(asset).isNotEmpty();
    }
    assertThat(HttpCalls.get(node.baseUri() + "/api/docs/index.html").status()).isEqualTo(404);
  }

  private static String concrete(String template) {
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String sample = SAMPLES.get(m.group(1));
      assertThat(sample).as("a sample value for path parameter '" + m.group(1) + "' (add it to SAMPLES)").isNotNull();
      m.appendReplacement(out, sample);
    }
    m.appendTail(out);
    return out.toString();
  }
}
