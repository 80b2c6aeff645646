package io.portolan.gateway.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.portolan.cluster.view.Topology;
import io.portolan.gateway.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code GET /api/topology/{view}} ({@link TopologyRoutes.ViewResponse}, byte for byte
 * what Jackson writes for it) put together from cached pieces: each node's and edge's JSON is kept
 * per object, and views reuse the node objects of hosts that did not change (see the memos in
 * {@code Renderers}), so a response at a thousand hosts serializes only what changed since the
 * last one. One instance per view; the cache holds the pieces of the last unfiltered response
 * (a filtered one reads them but does not replace them).
 */
final class ViewJson {

  private Map<Object, byte[]> pieces = new IdentityHashMap<>();

  synchronized byte[] response(String view, String label, long modelVersion, Topology t, boolean remember) {
    Map<Object, byte[]> next = new IdentityHashMap<>(t.nodes().size() + t.edges().size());
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 300 * t.nodes().size() + 80 * t.edges().size());
    byte[] head = write(new TopologyRoutes.ViewResponse(view, label, modelVersion, t.nodes().size(), t.edges().size(),
        List.of(), List.of()));
    // {"view":…,"edgeCount":n,"nodes":[],"edges":[]} → everything before "nodes":[]
    String tail = "\"nodes\":[],\"edges\":[]}";
    out.write(head, 0, head.length - tail.length());
    out.writeBytes("\"nodes\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    appendAll(out, t.nodes(), next);
    out.writeBytes("],\"edges\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    appendAll(out, t.edges(), next);
    out.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (remember) {
      pieces = next;
    }
    return out.toByteArray();
  }

  private void appendAll(ByteArrayOutputStream out, List<?> items, Map<Object, byte[]> next) {
    boolean first = true;
    for (Object item : items) {
      byte[] piece = pieces.get(item);
      if (piece == null) {
        piece = write(item);
      }
      next.put(item, piece);
      if (!first) {
        out.write(',');
      }
      out.writeBytes(piece);
      first = false;
    }
  }

  private static byte[] write(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
