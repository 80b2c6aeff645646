package io.portolan.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API's description, public: {@code GET /api/openapi.json} (the OpenAPI 3 document, written by
 * hand in {@code openapi/portolan.yaml} and served as JSON) and {@code GET /api/docs}, a Swagger UI
 * page whose files come from the swagger-ui webjar on the classpath (no CDN).
 */
public final class OpenApiRoutes extends AllDirectives {

  public static final String DOCUMENT = "openapi/portolan.yaml";

  public static final List<ApiEndpoint> ENDPOINTS = List.of(
      ApiEndpoint.get("/api/openapi.json"),
      ApiEndpoint.get("/api/docs"),
      ApiEndpoint.get("/api/docs/{asset}"));

  /** The webjar files the page uses; nothing else of the webjar is served. */
  private static final Set<String> WEBJAR_FILES = Set.of("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png");

  private final String json;
  private final String webjarRoot;

  public OpenApiRoutes() {
    this.json = document().toString();
    this.webjarRoot = "META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/";
  }

  /** The OpenAPI document as a Jackson tree. */
  public static JsonNode document() {
    try (InputStream in = resource(DOCUMENT)) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DOCUMENT, e);
    }
  }

  public Route routes() {
    return pathPrefix("api", () -> concat(
        path("openapi.json", () -> get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, json)))),
        pathPrefix("docs", () -> get(() -> concat(
            pathEndOrSingleSlash(() -> getFromResource("openapi/page/index.html")),
            path("init.js", () -> getFromResource("openapi/page/init.js")),
            path(PathMatchers.segment(), file -> WEBJAR_FILES.contains(file)
                ? getFromResource(webjarRoot + file)
                : reject()))))));
  }

  private static String swaggerUiVersion() {
    Properties props = new Properties();
    try (InputStream in = resource("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version");
  }

  private static InputStream resource(String name) {
    InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the classpath");
    }
    return in;
  }
}
