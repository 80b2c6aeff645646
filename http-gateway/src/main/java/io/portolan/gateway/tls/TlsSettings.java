package io.portolan.gateway.tls;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code portolan.http.tls} block: with a keystore the node serves HTTPS and WSS only (UI, API,
 * agents); without one, plain HTTP.
 *
 * @param keystore a PKCS12 file with the server's private key and certificate chain, if any
 * @param password the keystore's password (also the key's, as keytool and openssl make them)
 */
public record TlsSettings(Optional<Path> keystore, char[] password) {

  public static TlsSettings from(Config config) {
    Config t = config.getConfig("portolan.http.tls");
    String path = t.getString("keystore");
    return new TlsSettings(path.isBlank() ? Optional.empty() : Optional.of(Path.of(path)),
        t.getString("keystore-password").toCharArray());
  }

  public boolean enabled() {
    return keystore.isPresent();
  }

  @Override
  public String toString() {
    return "TlsSettings[keystore=" + keystore + ", password=***]";
  }
}
