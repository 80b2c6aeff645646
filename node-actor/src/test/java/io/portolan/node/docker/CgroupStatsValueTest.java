package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupStatsValueTest {

  static final String MEMORY_STAT_V1 = "cache 1200\nrss 800\ninactive_file 300\nhierarchical_memory_limit 9223372036854771712\n"
      + "total_cache 1500\ntotal_rss 900\ntotal_inactive_file 400\ntotal_active_file 7\n";

  @Test
  void findsTheWholeKeyOnly() {
    assertThat(CgroupStats.valueOf(MEMORY_STAT_V1, "total_inactive_file")).isEqualTo(400);
    // "inactive_file" also ends "total_inactive_file": only the line that starts with it counts
    assertThat(CgroupStats.valueOf(MEMORY_STAT_V1, "inactive_file")).isEqualTo(300);
    assertThat(CgroupStats.valueOf(MEMORY_STAT_V1, "cache")).isEqualTo(1200);
    assertThat(CgroupStats.valueOf("usage_usec 12345\nuser_usec 10000\nsystem_usec 2345", "system_usec")).isEqualTo(2345);
  }

  @Test
  void aMissingKeyOrAValueThatIsNoNumberIsZero() {
    assertThat(CgroupStats.valueOf(MEMORY_STAT_V1, "swap")).isZero();
    assertThat(CgroupStats.valueOf(MEMORY_STAT_V1, "total")).isZero(); // a prefix of keys, no key itself
    assertThat(CgroupStats.valueOf("usage_usec abc\n", "usage_usec")).isZero();
    assertThat(CgroupStats.valueOf("", "usage_usec")).isZero();
    assertThat(CgroupStats.valueOf("usage_usec", "usage_usec")).isZero(); // truncated: no value
  }
}
