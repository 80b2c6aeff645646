package io.portolan.gateway.http;

/** No credentials, or credentials that are not (or no longer) valid. Mapped to 401. */
public final class UnauthorizedException extends RuntimeException {
  public UnauthorizedException(String message) {
    super(message, null, false, false);
  }
}
