package io.portolan.gateway.http;

import io.portolan.gateway.PortolanSettings;
import java.time.Duration;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the routes and unbinds them gracefully through CoordinatedShutdown. */
public final class HttpServer {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** Why the node shut down when it could not listen; http.conf maps it to exit code 2. */
  public enum BindFailed implements CoordinatedShutdown.Reason { INSTANCE }

  private HttpServer() {}

  public static void start(ActorSystem<?> system, PortolanSettings settings, Route route) {
    Http.get(system)
        .newServerAt(settings.httpInterface(), settings.httpPort())
        .bind(route)
        .whenComplete((binding, error) -> {
          if (error != null) {
            log.error("Could not listen on {}:{} ({}). Is another Portolan running? Choose another port with"
                + " PORTOLAN_HTTP_PORT.", settings.httpInterface(), settings.httpPort(), error.getMessage());
            CoordinatedShutdown.get(system).run(BindFailed.INSTANCE);
            return;
          }
          binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
          String host = settings.httpInterface().equals("0.0.0.0") || settings.httpInterface().equals("127.0.0.1")
              ? "localhost" : settings.httpInterface();
          log.info("Portolan UI and API on http://{}:{}/", host, binding.localAddress().getPort());
        });
  }
}
