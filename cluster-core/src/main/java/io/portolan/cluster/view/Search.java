package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search over hosts, containers and processes, a pure function of the model. A query is
 * whitespace-separated terms, all of which must hold:
 * <ul>
 *   <li>{@code type:container} (or {@code kind:}) — container, process or host;</li>
 *   <li>{@code cpu>80}, {@code mem>=512m}, {@code rss_bytes<1g} — a metric threshold ({@code cpu} is
 *       {@code cpu_percent}; {@code mem}/{@code memory} is {@code memory_bytes}, or {@code rss_bytes} for
 *       processes; sizes take k/m/g suffixes, powers of 1024);</li>
 *   <li>anything else — a case-insensitive substring of a name, label key or value, image, command,
 *       IP address or metadata field.</li>
 * </ul>
 * Each result says which field matched and where the entry appears (the nodes of several views).
 */
public final class Search {

  public record Result(String id, String kind, String label, String hostId, String hostname, String field,
      String match, List<NodeDetail.Ref> views) {}

  public record Results(String query, int total, boolean truncated, List<Result> results) {}

  private static final Pattern THRESHOLD =
      Pattern.compile("([a-z_]+)(>=|<=|>|<|=)([0-9]+(?:\\.[0-9]+)?)([kmgt]i?b?|%)?", Pattern.CASE_INSENSITIVE);

  private record Threshold(String metric, String op, double value) {
    boolean test(double v) {
      return switch (op) {
        case ">" -> v > value;
        case ">=" -> v >= value;
        case "<" -> v < value;
        case "<=" -> v <= value;
        default -> v == value;
      };
    }
  }

  private Search() {}

  /** @throws IllegalArgumentException when the query is empty or a term is malformed */
  public static Results run(Model model, String query, int limit) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("give a query with q=, e.g. q=nginx, q=type:container cpu>80");
    }
    String kind = null;
    List<Threshold> thresholds = new ArrayList<>();
    List<String> terms = new ArrayList<>();
    for (String raw : query.trim().split("\\s+")) {
      String term = raw.toLowerCase(Locale.ROOT);
      if (term.startsWith("type:") || term.startsWith("kind:")) {
        kind = term.substring(5);
        if (!List.of("container", "process", "host").contains(kind)) {
          throw new IllegalArgumentException("'" + raw + "': the type must be container, process or host");
        }
        continue;
      }
      Matcher m = THRESHOLD.matcher(term);
      if (m.matches()) {
        thresholds.add(new Threshold(m.group(1), m.group(2), Double.parseDouble(m.group(3)) * unit(m.group(4))));
      } else {
        terms.add(term);
      }
    }
    List<Result> results = new ArrayList<>();
    for (HostSnapshot host : model.hosts()) {
      for (Map.Entry<String, Payload> e : host.live().entrySet()) {
        Payload p = e.getValue();
        String k = Keys.kindOf(p);
        if (k.equals("connection") || kind != null && !kind.equals(k)) {
          continue;
        }
        Map<String, Double> metrics = host.metricsOf(e.getKey());
        if (!thresholds.stream().allMatch(t -> passes(t, k, metrics))) {
          continue;
        }
        Map<String, String> fields = fields(host, p);
        String matchedField = null;
        String matchedValue = null;
        boolean all = true;
        for (String term : terms) {
          boolean found = false;
          for (Map.Entry<String, String> f : fields.entrySet()) {
            if (f.getValue() != null && f.getValue().toLowerCase(Locale.ROOT).contains(term)) {
              found = true;
              if (matchedField == null) {
                matchedField = f.getKey();
                matchedValue = f.getValue();
              }
              break;
            }
          }
          if (!found) {
            all = false;
            break;
          }
        }
        if (all) {
          results.add(new Result(e.getKey(), k, label(host, p), host.hostId(), host.hostname(), matchedField,
              matchedValue, views(host, e.getKey(), p)));
        }
      }
    }
    results.sort(Comparator.comparing(Result::kind).thenComparing(Result::label).thenComparing(Result::id));
    int total = results.size();
    return new Results(query, total, total > limit, List.copyOf(results.subList(0, Math.min(limit, total))));
  }

  private static boolean passes(Threshold t, String kind, Map<String, Double> metrics) {
    String metric = switch (t.metric()) {
      case "cpu" -> "cpu_percent";
      case "mem", "memory" -> kind.equals("process") ? "rss_bytes" : "memory_bytes";
      default -> t.metric();
    };
    Double v = metrics.get(metric);
    return v != null && t.test(v);
  }

  private static double unit(String suffix) {
    if (suffix == null || suffix.equals("%")) {
      return 1;
    }
    return switch (Character.toLowerCase(suffix.charAt(0))) {
      case 'k' -> 1024d;
      case 'm' -> 1024d * 1024;
      case 'g' -> 1024d * 1024 * 1024;
      case 't' -> 1024d * 1024 * 1024 * 1024;
      default -> 1;
    };
  }

  private static String label(HostSnapshot host, Payload p) {
    if (p instanceof Payload.Container c) {
      return Facts.containerName(c);
    } else if (p instanceof Payload.Process proc) {
      return Facts.processLabel(proc);
    }
    return host.hostname();
  }

  /** The searchable text of an entry, field by field, in the order matches are reported. */
  static Map<String, String> fields(HostSnapshot host, Payload p) {
    Map<String, String> f = new LinkedHashMap<>();
    if (p instanceof Payload.Container c) {
      f.put("name", Facts.containerName(c));
      f.put("image", c.image());
      f.put("id", c.id());
      f.put("hostname", Facts.containerHostname(c));
      new java.util.TreeMap<>(Facts.labels(c)).forEach((k, v) -> f.put("label:" + k, k + "=" + v));
      if (c.networks() != null) {
        f.put("ips", String.join(" ", new java.util.TreeMap<>(c.networks()).values()));
      }
      f.put("state", c.state());
      f.put("host", host.hostname());
    } else if (p instanceof Payload.Process proc) {
      f.put("name", proc.name());
      f.put("command", proc.cmdline());
      f.put("pid", Integer.toString(proc.pid()));
      f.put("user", proc.user());
      f.put("cwd", proc.cwd());
      f.put("host", host.hostname());
    } else if (p instanceof Payload.Host h) {
      f.put("hostname", host.hostname());
      f.put("os", h.os());
      f.put("kernel", h.kernel());
      if (h.interfaces() != null) {
        StringBuilder ips = new StringBuilder();
        h.interfaces().forEach(i -> {
          if (i.addresses() != null) {
            i.addresses().forEach(a -> ips.append(a).append(' '));
          }
        });
        f.put("ips", ips.toString().trim());
      }
    }
    return f;
  }

  private static List<NodeDetail.Ref> views(HostSnapshot host, String key, Payload p) {
    List<NodeDetail.Ref> views = new ArrayList<>();
    String hostRef = Keys.host(host.hostId());
    if (p instanceof Payload.Container c) {
      views.add(new NodeDetail.Ref(key, Facts.containerName(c), "container", "containers"));
      views.add(new NodeDetail.Ref("image:" + Facts.imageName(c), Facts.imageName(c), "container", "containers-by-image"));
      views.add(new NodeDetail.Ref("dns:" + Facts.containerHostname(c), Facts.containerHostname(c), "container",
          "containers-by-hostname"));
    } else if (p instanceof Payload.Process proc) {
      views.add(new NodeDetail.Ref(key, Facts.processLabel(proc), "process", "processes"));
      views.add(new NodeDetail.Ref("process-name:" + Facts.processLabel(proc), Facts.processLabel(proc), "process",
          "processes-by-name"));
      if (proc.containerId() != null && !proc.containerId().isBlank()) {
        views.add(new NodeDetail.Ref(Keys.container(proc.containerId()), Facts.shortId(proc.containerId()), "container",
            "containers"));
      }
    }
    views.add(new NodeDetail.Ref(hostRef, host.hostname(), "host", "hosts"));
    return views;
  }
}
