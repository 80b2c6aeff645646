package io.portolan.protocol;

/** A frame the receiver refuses; the message says why, in words fit to send back to the peer. */
public final class ProtocolException extends Exception {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
