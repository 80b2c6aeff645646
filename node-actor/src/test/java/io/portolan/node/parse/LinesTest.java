package io.portolan.node.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinesTest {

  @Test
  void fieldsSplitOnRunsOfWhitespaceAndIgnoreTheEnds() {
    assertThat(Lines.fields("  eth0:  123 4\t5 \n")).containsExactly("eth0:", "123", "4", "5");
    assertThat(Lines.fields("a")).containsExactly("a");
    assertThat(Lines.fields("a b")).containsExactly("a", "b");
    assertThat(Lines.fields("MemTotal:       24576000 kB")).containsExactly("MemTotal:", "24576000", "kB");
  }

  @Test
  void blankLinesHaveNoFields() {
    assertThat(Lines.fields("")).isEmpty();
    assertThat(Lines.fields(" \t \r\n")).isEmpty();
  }
}
