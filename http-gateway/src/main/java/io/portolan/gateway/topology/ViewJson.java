package io.portolan.gateway.topology;

import io.portolan.cluster.view.Topology;
import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import io.portolan.gateway.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The JSON of {@code GET /api/topology/{view}} ({@link TopologyRoutes.ViewResponse}, byte for byte
 * what Jackson writes for it) put together from cached pieces: each node's and edge's JSON is kept
 * per object, and views reuse the node objects of hosts that did not change (see the memos in
 * {@code Renderers}), so an answer at a thousand hosts serializes only what changed since the
 * last one. One instance per view.
 *
 * <p>Allocation matters more than it seems: an answer is megabytes, made up to four times a second
 * per view (see {@code ViewService}). So an answer is not one array: it is a rope
 * ({@link ByteString} of the pieces, each its own small array that lives as long as its object does),
 * and making one allocates only the rope's index, not a copy of the megabytes. Each piece holds
 * the comma that precedes it in a list; the first item of a list uses the piece without it. The
 * edges are written as positions in the node list ({@link EdgePositions}), a few bytes each, made
 * anew for each answer.
 */
final class ViewJson {

  private static final ByteString NODES = ByteString.fromString("\"nodes\":[", StandardCharsets.UTF_8);
  private static final ByteString EDGES = ByteString.fromString("],\"edges\":[", StandardCharsets.UTF_8);
  private static final ByteString END = ByteString.fromString("]}", StandardCharsets.UTF_8);
  /** How the head record ends when its lists are empty: everything before it is the head. */
  private static final int EMPTY_LISTS = "\"nodes\":[],\"edges\":[]}".length();

  /** Each object's JSON with a leading comma, by identity: the pieces of the last remembered answer. */
  private Map<Object, ByteString> pieces = new IdentityHashMap<>();

  /** An answer: its slices in order (each a rope of pieces, about {@link #SLICE} bytes) and its length. */
  record Answer(List<ByteString> slices, long length) {
    /** The whole answer in one string (tests). */
    ByteString whole() {
      ByteStringBuilder b = new ByteStringBuilder();
      slices.forEach(b::append);
      return b.result().compact();
    }
  }

  /**
   * How long a slice is at least. Pekko HTTP writes a rope by copying it into 128 KiB buffers and
   * dropping what it wrote, which walks the rope's pieces each time: a 15 MB rope of ~50,000 pieces
   * took twice as long to write as one array. Slices of ~512 KiB (a few hundred pieces each), written
   * one after the other as a streamed entity (each slice one write and one acknowledgement), are
   * about as fast as one array without copying it.
   */
  static final int SLICE = 512 * 1024;

  synchronized Answer response(String view, String label, long modelVersion, Topology t, boolean remember) {
    EdgePositions edges = positions(t, remember);
    byte[] head = write(new TopologyRoutes.ViewResponse(view, label, modelVersion, t.nodes().size(), edges.size(),
        List.of(), EdgePositions.NONE));
    int items = t.nodes().size();
    // Only the pieces of what this answer uses are kept: pieces of objects that are gone would keep
    // those objects (old view nodes with their maps) alive long enough to be promoted.
    Map<Object, ByteString> next = remember ? new IdentityHashMap<>(items) : null;
    Slices out = new Slices();
    out.append(ByteString.fromArrayUnsafe(head, 0, head.length - EMPTY_LISTS));
    out.append(NODES);
    appendAll(out, t.nodes(), remember, next);
    out.append(EDGES);
    ByteStringBuilder positions = new ByteStringBuilder();
    edges.writeTo(positions);
    out.append(positions.result());
    out.append(END);
    if (next != null) {
      pieces = next;
    }
    return out.result();
  }

  /** The edge positions of the last remembered answer, valid while its edge list and node ids are the same. */
  private List<ViewEdge> lastEdges;
  private String[] lastIds;
  private EdgePositions lastPositions;

  /**
   * The edges as positions in the nodes: those of the last remembered answer when the render has the
   * same edge list (a patched render keeps it) and the same node ids in the same order (checked: one
   * pass of mostly identical strings), else found anew (~7 ms for 30,000 edges).
   */
  private EdgePositions positions(Topology t, boolean remember) {
    List<ViewNode> nodes = t.nodes();
    if (t.edges() == lastEdges && lastIds.length == nodes.size()) {
      boolean same = true;
      for (int i = 0; i < lastIds.length && same; i++) {
        String id = nodes.get(i).id();
        same = id == lastIds[i] || id.equals(lastIds[i]);
      }
      if (same) {
        return lastPositions;
      }
    }
    EdgePositions positions = EdgePositions.of(nodes, t.edges());
    if (remember) {
      lastEdges = t.edges();
      lastIds = new String[nodes.size()];
      for (int i = 0; i < lastIds.length; i++) {
        lastIds[i] = nodes.get(i).id();
      }
      lastPositions = positions;
    }
    return positions;
  }

  /** Cuts the answer into slices of at least {@link #SLICE} bytes. */
  private static final class Slices {
    private final List<ByteString> done = new java.util.ArrayList<>();
    private ByteStringBuilder current = new ByteStringBuilder();
    private long length;

    void append(ByteString piece) {
      current.append(piece);
      length += piece.length();
      if (current.length() >= SLICE) {
        done.add(current.result());
        current = new ByteStringBuilder();
      }
    }

    Answer result() {
      if (current.length() > 0) {
        done.add(current.result());
      }
      return new Answer(List.copyOf(done), length);
    }
  }

  private void appendAll(Slices out, List<ViewNode> items, boolean remember, Map<Object, ByteString> next) {
    for (int i = 0; i < items.size(); i++) {
      ViewNode item = items.get(i);
      ByteString piece = pieces.get(item);
      if (piece == null) {
        piece = piece(item);

      }
      if (next != null) {
        next.put(item, piece);
      }
      out.append(i == 0 ? piece.drop(1) : piece);
    }
  }

  /** Where pieces are written before they are copied out at their exact size (callers hold this object's lock). */
  private final Buffer buffer = new Buffer();

  /** A reusable {@link java.io.ByteArrayOutputStream} whose bytes are read without another copy. */
  private static final class Buffer extends java.io.ByteArrayOutputStream {
    Buffer() {
      super(1024);
    }

    /** The bytes written since the last reset, in an array of their exact size. */
    ByteString exact() {
      return ByteString.fromArrayUnsafe(java.util.Arrays.copyOf(buf, count));
    }
  }

  /**
   * {@code ,} and the item's JSON, in an array of its exact size: written into a buffer that is
   * reused, so that a piece costs one array (a thousand hosts re-serialize ~2,000 container nodes a
   * second when their metrics are published, every ~5 s per host).
   */
  private ByteString piece(ViewNode item) {
    buffer.reset();
    buffer.write(',');
    try {
      Json.MAPPER.writeValue(buffer, item);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.exact();
  }

  private static byte[] write(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
