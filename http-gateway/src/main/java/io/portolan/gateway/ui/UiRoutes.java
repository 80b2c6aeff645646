package io.portolan.gateway.ui;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Serves the web UI that the ui/ module packages under {@code portolan-ui/} on the classpath. */
public final class UiRoutes extends AllDirectives {

  private static final String ROOT = "portolan-ui";

  public Route routes() {
    return get(() -> concat(
        pathEndOrSingleSlash(() -> getFromResource(ROOT + "/index.html")),
        getFromResourceDirectory(ROOT)));
  }
}
