package io.portolan.gateway.http;

/** Input the caller can fix; the message says how. Mapped to 400 by {@link ErrorMapper}. */
public final class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message, null, false, false);
  }
}
