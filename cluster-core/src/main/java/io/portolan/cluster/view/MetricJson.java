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
public final class MetricJson extends StdSerializer<Double> {

  static final int DIGITS = 4;
  private static final MathContext CONTEXT = new MathContext(DIGITS);

  public MetricJson() {
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

  /** Powers of ten that a double holds exactly. */
  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  /**
   * The value with {@link #DIGITS} significant digits, as a JSON number (no exponent sign, no
   * trailing zeros): the shorter of the plain form ({@code 4123000}, {@code 23.46}) and the
   * scientific one ({@code 3.125E8}). Without {@link BigDecimal} for the values a view has (a
   * thousand hosts write ~30,000 values a second in the background renders alone, each host's
   * metrics being published every ~5 s; {@code new BigDecimal(double)} and its rounding took
   * ~1 µs each): one scaling by an exact power of ten and a rounding.
   */
  static String text(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    int e = (int) Math.floor(Math.log10(a));
    long n = digits(a, e);
    if (n < 0) {
      return slow(v);
    }
    if (n >= 10_000) { // rounded up to the next power of ten, or log10 was one too low
      n = Math.round(n / 10.0);
      e++;
    } else if (n < 1_000) { // log10 was one too high
      e--;
      n = digits(a, e);
      if (n < 0 || n < 1_000 || n >= 10_000) {
        return slow(v);
      }
    }
    // the value is n × 10^(e-3), n of 4 digits; without trailing zeros: m × 10^q, m of d digits
    long m = n;
    int q = e - 3;
    while (m % 10 == 0) {
      m /= 10;
      q++;
    }
    String ds = Long.toString(m);
    int d = ds.length();
    StringBuilder plain = new StringBuilder(24);
    if (v < 0) {
      plain.append('-');
    }
    if (q >= 0) {
      plain.append(ds);
      for (int i = 0; i < q; i++) {
        plain.append('0');
      }
    } else if (d + q > 0) {
      plain.append(ds, 0, d + q).append('.').append(ds, d + q, d);
    } else {
      plain.append("0.");
      for (int i = 0; i < -(d + q); i++) {
        plain.append('0');
      }
      plain.append(ds);
    }
    StringBuilder scientific = new StringBuilder(16);
    if (v < 0) {
      scientific.append('-');
    }
    scientific.append(ds.charAt(0));
    if (d > 1) {
      scientific.append('.').append(ds, 1, d);
    }
    scientific.append('E').append(e);
    return plain.length() <= scientific.length() ? plain.toString() : scientific.toString();
  }

  /** round(a / 10^(e-3)), or -1 when the power of ten is not exact in a double. */
  private static long digits(double a, int e) {
    int k = 3 - e;
    if (k >= 0 && k < POW10.length) {
      return Math.round(a * POW10[k]);
    }
    if (k < 0 && -k < POW10.length) {
      return Math.round(a / POW10[-k]);
    }
    return -1;
  }

  /** The same with {@link BigDecimal}, for values beyond 1E25 or below 1E-19. */
  static String slow(double v) {
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
