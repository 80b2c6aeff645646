package io.portolan.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token strings: {@code ptk_<id>.<secret>}. The id (16 hex) names the TokenEntity; the secret (32
 * random bytes, base64url) is stored only as its SHA-256, which is enough for a secret of that
 * entropy (passwords, being guessable, get bcrypt instead).
 */
public final class Tokens {

  private static final SecureRandom random = new SecureRandom();
  private static final Pattern FORMAT = Pattern.compile("ptk_([0-9a-f]{16})\\.([A-Za-z0-9_-]{43})");

  /** A new token: the string to hand out once, its id, and the hash to store. */
  public record NewToken(String token, String id, String secretHash) {}

  /** A token string taken apart. */
  public record Presented(String id, String secretHash) {}

  private Tokens() {}

  public static NewToken generate() {
    byte[] idBytes = new byte[8];
    byte[] secret = new byte[32];
    random.nextBytes(idBytes);
    random.nextBytes(secret);
    String id = HexFormat.of().formatHex(idBytes);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new NewToken("ptk_" + id + "." + secretText, id, sha256(secretText));
  }

  public static Optional<Presented> parse(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(token.trim());
    return m.matches() ? Optional.of(new Presented(m.group(1), sha256(m.group(2)))) : Optional.empty();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
