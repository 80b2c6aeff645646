package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portolan.node.testkit.TestAgent;
import io.portolan.node.testkit.TestClusterServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * wss:// with a self-signed certificate (made with the JDK's keytool for localhost / 127.0.0.1): the agent
 * connects when given a trust store that holds it, and refuses with a clear error when it is not.
 */
class ClusterLinkTlsIT {

  static final String PASSWORD = "changeit-test";
  @TempDir
  static Path dir;
  static Path serverKeystore;
  static Path truststore;

  @BeforeAll
  static void makeCertificate() throws Exception {
    serverKeystore = dir.resolve("server.p12");
    truststore = dir.resolve("trust.p12");
    Path cert = dir.resolve("server.crt");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", serverKeystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", serverKeystore.toString(),
        "-storepass", PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "portolan-test-ca", "-file", cert.toString(),
        "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
  }

  @Test
  void connectsOverWssWhenTheTruststoreHoldsTheServersCertificate() throws Exception {
    try (TestClusterServer cluster = new TestClusterServer("t")) {
      cluster.startTls(0, serverContext());
      assertThat(cluster.address()).startsWith("wss://");
      Map<String, Object> extra = new HashMap<>(ClusterLinkIT.FAST);
      extra.put("portolan.node.agent.truststore", truststore.toString());
      extra.put("portolan.node.agent.truststore-password", PASSWORD);
      try (TestAgent agent = new TestAgent(List.of(cluster.address()), "t", extra)) {
        ClusterLinkIT.awaitFull(cluster, 1, java.time.Duration.ofSeconds(20));
      }
    }
  }

  @Test
  void refusesAnUntrustedCertificateWithAClearError() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ClusterLink.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try (TestClusterServer cluster = new TestClusterServer("t")) {
      cluster.startTls(0, serverContext());
      // no trust store: the JVM's default one, which does not know this self-signed certificate
      try (TestAgent agent = new TestAgent(List.of(cluster.address()), "t", ClusterLinkIT.FAST)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && errors(logs).isEmpty()) {
          Thread.sleep(50);
        }
        assertThat(errors(logs)).isNotEmpty();
        assertThat(errors(logs).get(0)).contains(cluster.address()).contains("TLS handshake failed")
            .contains("--truststore");
        assertThat(cluster.connections()).isZero();
        assertThat(cluster.frames()).isEmpty();
      }
    } finally {
      logger.detachAppender(logs);
    }
  }

  private static List<String> errors(ListAppender<ILoggingEvent> logs) {
    return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static SSLContext serverContext() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverKeystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
