package io.portolan.node.docker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Replaces the values of environment variables whose name looks secret. */
public final class EnvMask {

  public static final String MASK = "****";

  private EnvMask() {}

  /**
   * Keys containing any of {@code words} (case-insensitive: {@code DB_PASSWORD}, {@code api_key},
   * {@code GITHUB_TOKEN}) get {@link #MASK}. Errs on the side of hiding: {@code MONKEY} is masked too.
   */
  public static Map<String, String> mask(Map<String, String> env, List<String> words) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> out.put(k, isSecret(k, words) ? MASK : v));
    return out;
  }

  public static boolean isSecret(String key, List<String> words) {
    String upper = key.toUpperCase(Locale.ROOT);
    for (String w : words) {
      if (!w.isEmpty() && upper.contains(w.toUpperCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
