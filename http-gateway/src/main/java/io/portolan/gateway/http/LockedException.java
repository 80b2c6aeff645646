package io.portolan.gateway.http;

/** The account is locked after repeated failed logins. Mapped to 423. */
public final class LockedException extends RuntimeException {
  public LockedException(String message) {
    super(message, null, false, false);
  }
}
