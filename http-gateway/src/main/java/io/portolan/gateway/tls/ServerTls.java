package io.portolan.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/** The server side of TLS: an {@link SSLContext} from the configured PKCS12 keystore. */
public final class ServerTls {

  private ServerTls() {}

  /** The HTTPS context for Pekko HTTP; fails with a message that says what to fix. */
  public static HttpsConnectionContext context(TlsSettings settings) {
    return ConnectionContext.httpsServer(sslContext(settings));
  }

  public static SSLContext sslContext(TlsSettings settings) {
    var path = settings.keystore().orElseThrow(() -> new IllegalStateException("no keystore configured"));
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, settings.password());
      boolean hasKey = false;
      for (String alias : Collections.list(keyStore.aliases())) {
        hasKey |= keyStore.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new IllegalStateException("the keystore " + path + " holds no private key; make one as"
            + " docs/operations.md (TLS) shows");
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, settings.password());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the TLS keystore " + path + " (PORTOLAN_TLS_KEYSTORE): "
          + e.getMessage() + "; check the path, that it is PKCS12 and the password (PORTOLAN_TLS_KEYSTORE_PASSWORD)", e);
    }
  }
}
