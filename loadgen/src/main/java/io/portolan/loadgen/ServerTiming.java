package io.portolan.loadgen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The durations of W3C {@code Server-Timing} headers ({@code name;dur=ms, name;dur=ms}, possibly
 * several headers), in milliseconds by name. A node sends {@code request} (from routing to the
 * response, authentication included) on every answer, and the view route adds {@code render},
 * {@code json}, {@code total} and {@code age}. Entries without a duration are left out.
 */
public final class ServerTiming {

  private ServerTiming() {}

  public static Map<String, Double> parse(List<String> headerValues) {
    Map<String, Double> out = new HashMap<>();
    for (String header : headerValues) {
      for (String metric : header.split(",")) {
        String[] parts = metric.trim().split(";");
        if (parts[0].isBlank()) {
          continue;
        }
        for (int i = 1; i < parts.length; i++) {
          String param = parts[i].trim();
          if (param.startsWith("dur=")) {
            try {
              out.put(parts[0].trim(), Double.parseDouble(param.substring(4).replace("\"", "")));
            } catch (NumberFormatException e) {
              // not a duration we can read: leave it out
            }
          }
        }
      }
    }
    return out;
  }
}
