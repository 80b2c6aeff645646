package io.portolan.cluster.view;

/**
 * Value filters for {@code @JsonInclude(CUSTOM)}: Jackson leaves a property out when the filter
 * {@code equals} its value, i.e. when the value is the documented default.
 */
final class JsonDefaults {

  private JsonDefaults() {}

  /** 1: a node that stands for one entry, an edge of one connection. */
  static final class One {
    @Override
    public boolean equals(Object value) {
      return value instanceof Integer i && i == 1;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  /** true: a running node. */
  static final class True {
    @Override
    public boolean equals(Object value) {
      return Boolean.TRUE.equals(value);
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }
}
