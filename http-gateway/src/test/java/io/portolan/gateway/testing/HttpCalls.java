package io.portolan.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: what a user's curl would do. */
public final class HttpCalls {

  /** A response: status and body, with the body parsed as JSON on demand. */
  public record Reply(int status, String body, java.util.Map<String, java.util.List<String>> headers) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Client ANONYMOUS = new Client(null);

  private HttpCalls() {}

  /** Calls that carry {@code Authorization: Bearer <token>} (none when the token is null). */
  public record Client(String token) {

    public Reply get(String url) {
      return send(request(url).GET());
    }

    public Reply put(String url, String body) {
      return send(request(url).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Reply put(String url, byte[] body) {
      return send(request(url).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply post(String url, String body) {
      return send(request(url).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Reply delete(String url) {
      return send(request(url).DELETE());
    }

    private HttpRequest.Builder request(String url) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
      return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }
  }

  public static Reply get(String url) {
    return ANONYMOUS.get(url);
  }

  public static Reply put(String url, String body) {
    return ANONYMOUS.put(url, body);
  }

  public static Reply post(String url, String body) {
    return ANONYMOUS.post(url, body);
  }

  public static Reply delete(String url) {
    return ANONYMOUS.delete(url);
  }

  /** Logs in (retrying while the cluster still creates the admin user) and returns a client with the token. */
  public static Client login(String baseUri, String username, String password) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Reply last = null;
    while (System.nanoTime() < deadline) {
      last = post(baseUri + "/api/auth/login",
          "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
      if (last.status() == 200) {
        return new Client(last.json().get("token").asText());
      }
      sleep(250);
    }
    throw new AssertionError("could not log in as " + username + ": " + last);
  }

  public static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      return new Reply(-1, e.toString(), java.util.Map.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Polls {@code GET /health/ready} until it answers 200, or fails after {@code timeout}. */
  public static void awaitReady(String baseUri, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Reply last = null;
    while (System.nanoTime() < deadline) {
      last = get(baseUri + "/health/ready");
      if (last.status() == 200) {
        return;
      }
      sleep(250);
    }
    throw new AssertionError("node at " + baseUri + " not ready within " + timeout + "; last answer: " + last);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public static int freePort() {
    // Below the kernel's ephemeral range (32768-60999 by default): a port from that range, free when
    // picked, can be taken before the node binds it by any outgoing connection's source port, even by
    // another node dialing it as a seed (a loopback connect from port P to port P connects to itself).
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
      // Never the same port twice in this JVM: a test picks some ports before the processes that will
      // bind them start (a cluster's ports, given to every node as seeds), and a port picked later for
      // something else must not be one of those (CI once gave a TopologyClusterIT node an HTTP port
      // that had been picked as a cluster port: "Address already in use", node never ready).
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new AssertionError("no free port between 20000 and 32000 on the loopback address");
  }
}
