package io.portolan.cluster.view;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A view node's metric value in JSON: rounded to {@link #DIGITS} significant digits and written in
 * its shortest form ({@code 23.46}, {@code 3125}, {@code 3.125E8}). A node's metrics in a view are
 * for the graph's sizes and the table (the UI shows at most 4 digits: {@code 298.0 MiB},
 * {@code 23.5 %}); the exact series are in the node's detail. Doubles as Jackson writes them take
 * 12–18 characters ({@code 3.1245678912E8}); this was ~9 % of the containers view (loadgen/BENCHMARK.md,
 * "answer size"). Non-finite values are written as Jackson would ({@code "NaN"}).
 */
public final class MetricValues extends StdSerializer<Double> {

  static final int DIGITS = 4;
  private static final MathContext CONTEXT = new MathContext(DIGITS);

  public MetricValues() {
    super(Double.class);
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
    double v = value;
    if (!Double.isFinite(v)) {
      gen.writeNumber(v);
      return;
    }
    gen.writeNumber(text(v));
  }

  /** The value with {@link #DIGITS} significant digits, as a JSON number (no exponent sign, no trailing zeros). */
  static String text(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal r = new BigDecimal(v).round(CONTEXT).stripTrailingZeros();
    String plain = r.toPlainString();
    String scientific = Double.toString(r.doubleValue());
    if (scientific.endsWith(".0")) {
      scientific = scientific.substring(0, scientific.length() - 2);
    }
    scientific = scientific.replace(".0E", "E");
    return plain.length() <= scientific.length() ? plain : scientific;
  }
}
