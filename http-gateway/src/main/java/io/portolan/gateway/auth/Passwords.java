package io.portolan.gateway.auth;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt through Bouncy Castle. Hashing is deliberately slow (cost 10: tens of milliseconds), so
 * callers run it off the actor dispatchers.
 */
public final class Passwords {

  public static final int COST = 10;
  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 72; // bcrypt ignores what comes after 72 bytes
  private static final SecureRandom random = new SecureRandom();
  /** Checked against when the user does not exist, so that a miss costs the same time as a hit. */
  private static final String DECOY = hash("portolan-decoy-password");

  private Passwords() {}

  public static String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, COST);
  }

  /** Constant-time check; a null hash (unknown user) checks a decoy and answers false. */
  public static boolean matches(String hash, String password) {
    if (password == null) {
      return false;
    }
    if (hash == null) {
      OpenBSDBCrypt.checkPassword(DECOY, password.toCharArray());
      return false;
    }
    return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
  }

  /** @return why the password is not acceptable, or null */
  public static String problemWith(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "the password must have at least " + MIN_LENGTH + " characters";
    }
    if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
      return "the password must be at most " + MAX_LENGTH + " bytes long";
    }
    return null;
  }
}
