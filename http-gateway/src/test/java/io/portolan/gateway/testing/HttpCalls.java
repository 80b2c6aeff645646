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
  public record Reply(int status, String body) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpCalls() {}

  public static Reply get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  public static Reply put(String url, String body) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public static Reply put(String url, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public static Reply delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE());
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Reply(-1, e.toString());
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

  public static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
