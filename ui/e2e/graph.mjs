/**
 * Where sigma draws node `id`, in page coordinates. Runs inside the page: pass it to an engine's
 * evaluate (playwright, puppeteer or the WebDriver wrapper), which sends its source text.
 */
export function nodePagePosition(id) {
  const s = window.portolan.graph.sigma;
  const d = s.getNodeDisplayData(id);
  const p = s.framedGraphToViewport({ x: d.x, y: d.y });
  const r = s.getContainer().getBoundingClientRect();
  return { x: r.left + p.x, y: r.top + p.y };
}
