package io.portolan.gateway.ui;

import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves the web UI that the ui/ module packages under {@code portolan-ui/} on the classpath.
 * <ul>
 *   <li>{@code /assets/*}: file names carry a content hash, so they are cached for a year, immutable;</li>
 *   <li>{@code /} and {@code /index.html}: never cached (they name the current hashed assets);</li>
 *   <li>any other GET path without a file extension outside {@code /api}, {@code /health} and
 *       {@code /agent} answers index.html (single-page app fallback, so deep links work); API paths
 *       keep their 404.</li>
 * </ul>
 */
public final class UiRoutes extends AllDirectives {

  private static final String ROOT = "portolan-ui";
  private static final HttpHeader IMMUTABLE = RawHeader.create("Cache-Control", "public, max-age=31536000, immutable");
  private static final HttpHeader NO_CACHE = RawHeader.create("Cache-Control", "no-cache");
  private static final Set<String> NOT_UI = Set.of("api", "health", "agent");

  public Route routes() {
    return get(() -> concat(
        pathPrefix("assets", () -> respondWithHeader(IMMUTABLE, () -> getFromResourceDirectory(ROOT + "/assets"))),
        respondWithHeader(NO_CACHE, () -> concat(
            pathEndOrSingleSlash(() -> getFromResource(ROOT + "/index.html")),
            getFromResourceDirectory(ROOT),
            extractUnmatchedPath(path -> isAppPath(path) ? getFromResource(ROOT + "/index.html") : reject())))));
  }

  /** A client-side route: not an API prefix, and the last segment has no file extension. */
  static boolean isAppPath(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    int slash = p.indexOf('/');
    String first = slash < 0 ? p : p.substring(0, slash);
    if (NOT_UI.contains(first)) {
      return false;
    }
    String last = p.substring(p.lastIndexOf('/') + 1);
    return !last.contains(".");
  }
}
