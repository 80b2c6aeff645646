package io.portolan.gateway.http;

/** Valid credentials without the role the route needs. Mapped to 403. */
public final class ForbiddenException extends RuntimeException {
  public ForbiddenException(String message) {
    super(message, null, false, false);
  }
}
