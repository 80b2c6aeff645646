package io.portolan.gateway.http;

/** A named thing that does not exist. Mapped to 404 by {@link ErrorMapper}. */
public final class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message, null, false, false);
  }
}
