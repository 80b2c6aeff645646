package io.portolan.gateway.openapi;

import java.util.regex.Pattern;

/**
 * One (method, path) that the node answers, as its route class declares it next to the route.
 * Pekko routes are functions and cannot be listed, so these declarations are the list:
 * {@code HttpApi.endpoints()} gathers them, {@code OpenApiCoverageIT} checks them against the
 * OpenAPI document in both directions and probes each one, and the metrics name HTTP requests by
 * their template ({@link #matches}) so that path parameters never become label values.
 *
 * @param method upper-case HTTP method
 * @param path the OpenAPI path template, e.g. {@code /api/topology/{view}/{nodeId}}
 */
public record ApiEndpoint(String method, String path) {

  public ApiEndpoint {
    if (!method.equals(method.toUpperCase(java.util.Locale.ROOT)) || !path.startsWith("/")) {
      throw new IllegalArgumentException("an endpoint is an upper-case method and a path starting with '/': "
          + method + " " + path);
    }
  }

  public static ApiEndpoint get(String path) {
    return new ApiEndpoint("GET", path);
  }

  public static ApiEndpoint post(String path) {
    return new ApiEndpoint("POST", path);
  }

  public static ApiEndpoint put(String path) {
    return new ApiEndpoint("PUT", path);
  }

  public static ApiEndpoint delete(String path) {
    return new ApiEndpoint("DELETE", path);
  }

  /** Whether a concrete request path fits the template (a {@code {param}} is one non-empty segment). */
  public boolean matches(String requestPath) {
    return pattern().matcher(requestPath).matches();
  }

  /** How many literal (non-parameter) segments the template has: more literal means more specific. */
  public int literalSegments() {
    int n = 0;
    for (String segment : path.split("/")) {
      if (!segment.isEmpty() && !segment.startsWith("{")) {
        n++;
      }
    }
    return n;
  }

  private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

  private Pattern pattern() {
    return PATTERNS.computeIfAbsent(path, p -> Pattern.compile(
        java.util.Arrays.stream(p.split("/", -1))
            .map(s -> s.startsWith("{") && s.endsWith("}") ? "[^/]+" : Pattern.quote(s))
            .collect(java.util.stream.Collectors.joining("/"))));
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
