package io.portolan.persistence.cassandra;

/** The embedded Cassandra did not become ready; the message carries its log tail and what to do. */
public final class CassandraStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CassandraStartException(String message) {
    super(message);
  }

  CassandraStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
