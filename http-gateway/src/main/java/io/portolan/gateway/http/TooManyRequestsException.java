package io.portolan.gateway.http;

/** The caller is over a rate limit. Mapped to 429. */
public final class TooManyRequestsException extends RuntimeException {
  public TooManyRequestsException(String message) {
    super(message, null, false, false);
  }
}
