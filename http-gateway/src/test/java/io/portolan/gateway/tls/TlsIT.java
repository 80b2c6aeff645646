package io.portolan.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.PortolanServer;
import io.portolan.gateway.http.Json;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.TestNode;
import io.portolan.persistence.testing.TestCassandra;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with a keystore serves HTTPS and WSS only: a client that trusts the node's self-signed
 * certificate (made here with the JDK's keytool) gets answers and a Secure session cookie; plain
 * HTTP on the port gets nothing; a client with the JDK's default trust store (what an agent uses
 * unless told otherwise) fails the handshake, over HTTPS and over WSS. End to end, the real agent
 * ({@code portolan-agent} in its own JVM) dialing {@code wss://} connects with {@code --truststore}
 * holding the node's certificate, and without it is refused and never shows up.
 */
class TlsIT {

  private static final String PASSWORD = "tls-it-secret";
  private static final String AGENT_TOKEN = "tls-it-agent-token";

  @TempDir
  static Path dir;

  private static ActorSystem<Void> system;
  private static int port;
  private static SSLContext trusting;
  /** The node's certificate in a trust store of its own, made as docs/operations.md says. */
  private static Path agentTruststore;
  private static String adminToken;

  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("portolan.p12");
    keytool("-genkeypair", "-alias", "portolan", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
    trusting = trustingOnly(keystore);
    Path cert = dir.resolve("portolan.crt");
    keytool("-exportcert", "-rfc", "-alias", "portolan", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    agentTruststore = dir.resolve("agent-trust.p12");
    keytool("-importcert", "-noprompt", "-alias", "portolan", "-file", cert.toString(), "-storetype", "PKCS12",
        "-keystore", agentTruststore.toString(), "-storepass", "agent-trust-secret");

    port = HttpCalls.freePort();
    int clusterPort = HttpCalls.freePort();
    Config overrides = ConfigFactory.parseMap(Map.of(
            "portolan.http.port", port,
            "portolan.http.tls.keystore", keystore.toString(),
            "portolan.http.tls.keystore-password", PASSWORD,
            "portolan.agents.token", AGENT_TOKEN,
            "portolan.auth.admin-password", TestNode.ADMIN_PASSWORD,
            "portolan.cassandra.contact-points", List.of(TestCassandra.shared().contactPoint()),
            "pekko.remote.artery.canonical.port", clusterPort,
            "pekko.cluster.seed-nodes", List.of("pekko://portolan@127.0.0.1:" + clusterPort),
            "pekko.coordinated-shutdown.exit-jvm", "off"))
        .withFallback(TestCassandra.pekkoPersistenceConfig(TestCassandra.shared(), TestCassandra.uniqueKeyspace("tls")));
    system = PortolanServer.start(ConfigFactory.load(overrides.withFallback(
        ConfigFactory.parseResourcesAnySyntax("application"))));
    awaitReady(Duration.ofSeconds(60));
    adminToken = Json.MAPPER.readTree(send(HttpRequest.newBuilder(https("/api/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"username\":\"admin\",\"password\":\"" + TestNode.ADMIN_PASSWORD + "\"}"))
        .build()).body()).get("token").asText();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  @Test
  void httpsWithTheTrustedCertificateAnswersAndTheSessionCookieIsSecure() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> alive = client.send(HttpRequest.newBuilder(https("/health/alive")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(alive.statusCode()).isEqualTo(200);

    HttpResponse<String> login = client.send(HttpRequest.newBuilder(https("/api/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"username\":\"admin\",\"password\":\"" + TestNode.ADMIN_PASSWORD + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("set-cookie").orElseThrow()).contains("Secure").contains("HttpOnly");
  }

  @Test
  void plainHttpOnThePortGetsNoAnswer() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health/alive"))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(https("/health/alive")).GET().build(),
        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  /**
   * A WebSocket client with Pekko HTTP's default client context (the JDK trust store, hostname
   * checked) is refused an untrusted certificate; with a context that trusts the node's certificate,
   * the upgrade succeeds.
   */
  @Test
  void agentsOverWssVerifyTheServerCertificate() throws Exception {
    WebSocketRequest request = WebSocketRequest.create("wss://localhost:" + port + "/agent/ws")
        .addHeader(RawHeader.create("Authorization", "Bearer " + AGENT_TOKEN));
    Flow<Message, Message, ?> idle = Flow.fromSinkAndSource(Sink.ignore(), Source.maybe());
    Http http = Http.get(system);
    Materializer materializer = Materializer.matFromSystem(system);

    CompletionStage<WebSocketUpgradeResponse> untrusted =
        http.singleWebSocketRequest(request, idle, materializer).first();
    assertThatThrownBy(() -> untrusted.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);

    CompletionStage<WebSocketUpgradeResponse> trusted =
        http.singleWebSocketRequest(request, idle, ConnectionContext.httpsClient(trusting), materializer).first();
    WebSocketUpgradeResponse upgraded = trusted.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(upgraded.response().status().intValue()).isEqualTo(101);
  }

  @Test
  void theAgentWithTheNodesCertificateAsItsTruststoreConnectsOverWssAndItsHostShowsUp() throws Exception {
    Path log = Path.of("target", "tls-agent-trusting.log");
    Process agent = startAgent("tls-trusting", log, "--truststore", agentTruststore.toString(),
        "--truststore-password", "agent-trust-secret");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      HttpResponse<String> host = api("/api/topology/hosts/host:tls-trusting");
      while (host.statusCode() != 200 && System.nanoTime() < deadline && agent.isAlive()) {
        Thread.sleep(300);
        host = api("/api/topology/hosts/host:tls-trusting");
      }
      assertThat(host.statusCode()).as("the host in the hosts view; agent log:%n%s", readLog(log)).isEqualTo(200);
      JsonNode registered = Json.MAPPER.readTree(api("/api/agents/tls-trusting").body()).get("agent");
      assertThat(registered.get("connected").asBoolean()).isTrue();
      assertThat(readLog(log)).doesNotContain("TLS handshake failed");
    } finally {
      stopAgent(agent);
    }
  }

  @Test
  void theAgentWithoutTheTruststoreIsRefusedWithAClearErrorAndNeverShowsUp() throws Exception {
    Path log = Path.of("target", "tls-agent-untrusting.log");
    Process agent = startAgent("tls-untrusting", log);
    try {
      // Two failed attempts: the first handshake was refused and so was the retry.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (handshakeErrors(log) < 2 && System.nanoTime() < deadline && agent.isAlive()) {
        Thread.sleep(300);
      }
      String out = readLog(log);
      assertThat(handshakeErrors(log)).as(out).isGreaterThanOrEqualTo(2);
      assertThat(out).contains("ERROR", "cannot connect to wss://localhost:" + port + "/agent/ws", "--truststore");
      assertThat(agent.isAlive()).as("the agent keeps retrying rather than exiting").isTrue();

      assertThat(api("/api/topology/hosts/host:tls-untrusting").statusCode()).isEqualTo(404);
      HttpResponse<String> registered = api("/api/agents/tls-untrusting");
      if (registered.statusCode() == 200) {
        JsonNode a = Json.MAPPER.readTree(registered.body()).get("agent");
        assertThat(a.get("connected").asBoolean()).as(registered.body()).isFalse();
        assertThat(a.path("connections").asLong()).as(registered.body()).isZero();
      } else {
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(404);
      }
    } finally {
      stopAgent(agent);
    }
  }

  /** {@code portolan-agent --cluster wss://localhost:PORT --token ... --agent-id ID extra...}, output to {@code log}. */
  private static Process startAgent(String id, Path log, String... extra) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms32m", "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-cp", agentClasspath(), "io.portolan.node.agent.AgentMain",
        "--cluster", "wss://localhost:" + port, "--token", AGENT_TOKEN, "--agent-id", id, "--publish-interval", "1s"));
    command.addAll(List.of(extra));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Only what the command line says: no trust store or host exec from the test's environment.
    builder.environment().keySet().removeIf(k -> k.startsWith("PORTOLAN_") || k.equals("JAVA_TOOL_OPTIONS"));
    return builder.start();
  }

  /**
   * This test's classpath (the agent is a test dependency of this module, not in its runtime one)
   * without this module's own classes: their application.conf makes a cluster node, not an agent.
   */
  private static String agentClasspath() {
    String own = Path.of("target").toAbsolutePath().toString();
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(entry -> !Path.of(entry).toAbsolutePath().startsWith(own))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static void stopAgent(Process agent) throws InterruptedException {
    agent.destroy();
    if (!agent.waitFor(20, TimeUnit.SECONDS)) {
      agent.destroyForcibly();
      agent.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static long handshakeErrors(Path log) throws IOException {
    return readLog(log).lines().filter(l -> l.contains("ERROR") && l.contains("TLS handshake failed")).count();
  }

  private static String readLog(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** GET {@code path} over HTTPS as the admin. */
  private static HttpResponse<String> api(String path) throws Exception {
    return send(HttpRequest.newBuilder(https(path)).header("Authorization", "Bearer " + adminToken).GET().build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(2)).build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static URI https(String path) {
    return URI.create("https://localhost:" + port + path);
  }

  private static void awaitReady(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (client.send(HttpRequest.newBuilder(https("/health/ready")).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the TLS node did not become ready in " + timeout);
      }
      Thread.sleep(250);
    }
  }

  /** An SSL context whose only trusted certificate is the one in {@code keystore}. */
  private static SSLContext trustingOnly(Path keystore) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    Certificate cert = keys.getCertificate("portolan");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("portolan", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }
}
