package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetricValuesTest {

  @Test
  void fourSignificantDigitsInTheShortestForm() {
    assertThat(MetricJson.text(0)).isEqualTo("0");
    assertThat(MetricJson.text(23.456789)).isEqualTo("23.46");
    assertThat(MetricJson.text(80.0)).isEqualTo("80");
    assertThat(MetricJson.text(100.0)).isEqualTo("100");
    assertThat(MetricJson.text(4_123_456)).isEqualTo("4123000");
    assertThat(MetricJson.text(312_456_789)).isEqualTo("3.125E8");
    assertThat(MetricJson.text(3e8)).isEqualTo("3E8");
    assertThat(MetricJson.text(0.000123456)).isEqualTo("1.235E-4");
    assertThat(MetricJson.text(-2.5)).isEqualTo("-2.5");
    assertThat(MetricJson.text(1e21)).isEqualTo("1E21");
    assertThat(MetricJson.text(9999.6)).isEqualTo("1E4");
    assertThat(MetricJson.text(0.5)).isEqualTo("0.5");
    assertThat(MetricJson.text(1e30)).isEqualTo("1E30");
    assertThat(MetricJson.text(-1.2346e-25)).isEqualTo("-1.235E-25");
    for (double v : new double[] {0.1, 1.2345e-9, 99.995, 1024.5, 5e15, 123456789.123, 1e-300, 1.7e308}) {
      double back = Double.parseDouble(MetricJson.text(v));
      assertThat(Math.abs(back - v) / Math.abs(v)).as("%s", v).isLessThanOrEqualTo(0.0005);
    }
  }

  /** The fast path gives the same text as rounding with BigDecimal (away from exact ties). */
  @Test
  void sameAsBigDecimalRounding() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      double v = (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(-18, 25));
      String fast = MetricJson.text(v);
      String slow = MetricJson.slow(v);
      if (!fast.equals(slow)) { // only at a tie of the 5th digit may the two roundings differ by one unit
        double f = Double.parseDouble(fast);
        double s = Double.parseDouble(slow);
        assertThat(Math.abs(f - s) / Math.abs(s)).as("%s: %s vs %s", v, fast, slow).isLessThanOrEqualTo(0.0011);
      }
    }
  }

  @Test
  void aNodesMetricsAreWrittenRoundedAndNonFiniteValuesAsJacksonWould() throws Exception {
    Map<String, Double> metrics = new TreeMap<>(Map.of("cpu_percent", 12.3456, "memory_bytes", 312_456_789.0,
        "x", Double.NaN));
    ViewNode n = new ViewNode("container:a", "a", null, "hexagon", "healthy", "container", "h", 1, metrics, true,
        false, Map.of(), null);
    String json = JsonMapper.builder().build().writeValueAsString(n);
    assertThat(json).contains("\"metrics\":{\"cpu_percent\":12.35,\"memory_bytes\":3.125E8,\"x\":\"NaN\"}");
    assertThat(JsonMapper.builder().build().readTree(json).get("metrics").get("memory_bytes").asDouble())
        .isEqualTo(3.125e8);
  }
}
