package io.portolan.gateway.http;

import io.portolan.gateway.PortolanSettings;
import io.portolan.gateway.tls.ServerTls;
import io.portolan.gateway.tls.TlsSettings;
import java.time.Duration;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBuilder;
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
    TlsSettings tls = TlsSettings.from(system.settings().config());
    ServerBuilder server = Http.get(system).newServerAt(settings.httpInterface(), settings.httpPort());
    if (tls.enabled()) {
      // HTTPS only: with a keystore the node does not answer plain HTTP at all.
      try {
        server = server.enableHttps(ServerTls.context(tls));
      } catch (IllegalStateException e) {
        log.error("Not serving: {}", e.getMessage());
        CoordinatedShutdown.get(system).run(BindFailed.INSTANCE);
        return;
      }
    }
    String scheme = tls.enabled() ? "https" : "http";
    server
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
          log.info("Portolan UI and API on {}://{}:{}/", scheme, host, binding.localAddress().getPort());
        });
  }
}
