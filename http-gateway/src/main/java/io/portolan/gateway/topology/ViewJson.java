package io.portolan.gateway.topology;

import io.portolan.cluster.view.Topology;
import io.portolan.gateway.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Allocation matters more than it seems: an answer is megabytes, and a request that allocates
 * a tenth of the young generation triggers a young collection (and waits for it) about one time
 * in ten. So the answer is allocated once at its exact size; a cached piece is a range of the
 * previous answer (no array per piece), and new pieces are written into one scratch buffer that
 * is kept between requests.
 */
final class ViewJson {

  private static final byte[] NODES = "\"nodes\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EDGES = "],\"edges\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "]}".getBytes(StandardCharsets.UTF_8);
  /** How the head record ends when its lists are empty: everything before it is the head. */
  private static final int EMPTY_LISTS = "\"nodes\":[],\"edges\":[]}".length();

  /** An object's JSON: {@code length} bytes at {@code offset} of {@code array} (null: the scratch buffer). */
  private record Slice(byte[] array, int offset, int length) {}

  /** A byte buffer whose array can be read in place. */
  private static final class Scratch extends ByteArrayOutputStream {
    Scratch() {
      super(64 * 1024);
    }

    byte[] array() {
      return buf;
    }
  }

  private Map<Object, Slice> pieces = new IdentityHashMap<>();
  private final Scratch scratch = new Scratch();

  synchronized byte[] response(String view, String label, long modelVersion, Topology t, boolean remember) {
    byte[] head = write(new TopologyRoutes.ViewResponse(view, label, modelVersion, t.nodes().size(), t.edges().size(),
        List.of(), List.of()));
    int headLength = head.length - EMPTY_LISTS;
    scratch.reset();
    Slice[] nodes = locate(t.nodes());
    Slice[] edges = locate(t.edges());
    long size = (long) headLength + NODES.length + EDGES.length + END.length + length(nodes) + length(edges);
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("a view answer of " + size + " bytes does not fit in one array");
    }
    byte[] out = new byte[(int) size];
    System.arraycopy(head, 0, out, 0, headLength);
    int at = headLength;
    at = put(out, at, NODES);
    Map<Object, Slice> next = remember ? new IdentityHashMap<>(t.nodes().size() + t.edges().size()) : null;
    at = copyAll(out, at, t.nodes(), nodes, next);
    at = put(out, at, EDGES);
    at = copyAll(out, at, t.edges(), edges, next);
    at = put(out, at, END);
    if (at != out.length) {
      throw new IllegalStateException("view answer size " + at + " != " + out.length);
    }
    if (remember) {
      pieces = next;
    }
    return out;
  }

  /** Each item's JSON: its cached slice, or a new one written into the scratch buffer. */
  private Slice[] locate(List<?> items) {
    Slice[] out = new Slice[items.size()];
    for (int i = 0; i < out.length; i++) {
      Object item = items.get(i);
      Slice cached = pieces.get(item);
      if (cached == null) {
        int start = scratch.size();
        try {
          Json.MAPPER.writeValue(scratch, item);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        cached = new Slice(null, start, scratch.size() - start);
      }
      out[i] = cached;
    }
    return out;
  }

  /** The bytes of the slices and the commas between them. */
  private static long length(Slice[] slices) {
    long n = Math.max(0, slices.length - 1);
    for (Slice s : slices) {
      n += s.length();
    }
    return n;
  }

  /** Copies the slices (with commas) to {@code out} at {@code at}; {@code next} learns where each one is now. */
  private int copyAll(byte[] out, int at, List<?> items, Slice[] slices, Map<Object, Slice> next) {
    byte[] scratchArray = scratch.array();
    for (int i = 0; i < slices.length; i++) {
      if (i > 0) {
        out[at++] = ',';
      }
      Slice s = slices[i];
      System.arraycopy(s.array() == null ? scratchArray : s.array(), s.offset(), out, at, s.length());
      if (next != null) {
        next.put(items.get(i), new Slice(out, at, s.length()));
      }
      at += s.length();
    }
    return at;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] write(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
