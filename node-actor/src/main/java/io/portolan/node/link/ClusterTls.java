package io.portolan.node.link;

import io.portolan.node.agent.AgentSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust for {@code wss://} cluster addresses. With a trust store ({@code --truststore},
 * {@code PORTOLAN_AGENT_TRUSTSTORE}) the server's certificate must chain to one of its certificates;
 * without one, to the JVM's default trust store. The host name is always checked against the certificate
 * (the JDK HTTP client does that for WebSockets too). When every cluster address is {@code ws://} and no
 * trust store is given, the link gets {@link #NONE}: no TLS is set up at all.
 */
public final class ClusterTls {

  private ClusterTls() {}

  /**
   * For links whose addresses are all {@code ws://}: {@link NoTls}, a context that refuses to be used.
   * Without a context of its own the JDK HTTP client builds the JVM's default one when it is created.
   */
  public static final SSLContext NONE = NoTls.CONTEXT;

  /**
   * The context for {@link ClusterLink#create}: {@link #NONE} when every cluster address is {@code ws://}
   * and no trust store is configured; else the trust store's or the JVM's default. Fails at start-up with a
   * clear message if the store is unusable.
   */
  public static SSLContext sslContext(AgentSettings settings) {
    if (settings.truststore() == null
        && settings.cluster().stream().noneMatch(uri -> "wss".equalsIgnoreCase(uri.getScheme()))) {
      return NONE;
    }
    return sslContext(settings.truststore(), settings.truststorePassword());
  }

  public static SSLContext sslContext(Path truststore, String password) {
    try {
      if (truststore == null) {
        return SSLContext.getDefault();
      }
      // PKCS12 is the default type; since Java 9 a JKS file loads through it as well.
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      try (InputStream in = Files.newInputStream(truststore)) {
        ks.load(in, password == null || password.isEmpty() ? null : password.toCharArray());
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the trust store " + truststore
          + " (--truststore / PORTOLAN_AGENT_TRUSTSTORE, password from --truststore-password /"
          + " PORTOLAN_AGENT_TRUSTSTORE_PASSWORD): " + e.getMessage(), e);
    }
  }
}
