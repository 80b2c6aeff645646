import type { ViewEdge, ViewNode } from './api';
import { h, clear } from './dom';
import { formatMetric, nodeColour } from './model';

interface Column { key: string; label: string; value(n: ViewNode, deg: Degrees): string | number; format?(v: unknown): string }
type Degrees = Map<string, [number, number]>;

const MAX_ROWS = 2000;

/** The table mode: every view's nodes with sortable columns; rows select like graph clicks. */
export class TableView {
  private sortKey = 'label';
  private asc = true;
  private nodes: ViewNode[] = [];
  private edges: ViewEdge[] = [];
  private selected = new Set<string>();

  constructor(private readonly el: HTMLElement, private readonly onSelect: (id: string, additive: boolean) => void) {}

  setData(nodes: ViewNode[], edges: ViewEdge[]) { this.nodes = nodes; this.edges = edges; this.render(); }
  setSelection(ids: Iterable<string>) { this.selected = new Set(ids); this.render(); }

  private columns(): Column[] {
    const metrics = new Set<string>();
    for (const n of this.nodes) for (const m of Object.keys(n.metrics ?? {})) metrics.add(m);
    const cols: Column[] = [
      { key: 'label', label: 'Name', value: n => n.label ?? '' },
      { key: 'minor', label: 'Detail', value: n => n.labelMinor ?? '' },
      { key: 'status', label: 'Status', value: n => (n.running ? n.status : 'stopped') },
      { key: 'host', label: 'Host', value: n => n.hostId ?? '' },
      { key: 'namespace', label: 'Namespace', value: n => n.namespace ?? '' },
      { key: 'count', label: 'Count', value: n => n.count },
      { key: 'in', label: 'In', value: (n, d) => d.get(n.id)?.[0] ?? 0 },
      { key: 'out', label: 'Out', value: (n, d) => d.get(n.id)?.[1] ?? 0 },
    ];
    for (const m of [...metrics].sort()) {
      cols.push({ key: 'm:' + m, label: m.replace(/_/g, ' '), value: n => n.metrics?.[m] ?? -Infinity,
        format: v => (v === -Infinity ? '–' : formatMetric(m, v as number)) });
    }
    return cols;
  }

  private render() {
    const deg: Degrees = new Map();
    for (const e of this.edges) {
      const t = deg.get(e.target) ?? [0, 0]; t[0]++; deg.set(e.target, t);
      const s = deg.get(e.source) ?? [0, 0]; s[1]++; deg.set(e.source, s);
    }
    const cols = this.columns();
    const col = cols.find(c => c.key === this.sortKey) ?? cols[0];
    const rows = [...this.nodes].sort((a, b) => {
      const x = col.value(a, deg), y = col.value(b, deg);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return this.asc ? c : -c;
    });
    const head = h('tr', {}, h('th', { text: '' }), ...cols.map(c => h('th', {
      class: c.key === this.sortKey ? (this.asc ? 'sorted asc' : 'sorted desc') : '',
      'aria-sort': c.key === this.sortKey ? (this.asc ? 'ascending' : 'descending') : 'none',
      tabindex: 0, text: c.label,
      onclick: () => { if (this.sortKey === c.key) this.asc = !this.asc; else { this.sortKey = c.key; this.asc = true; } this.render(); },
    })));
    const body = h('tbody');
    for (const n of rows.slice(0, MAX_ROWS)) {
      const cb = h('input', { type: 'checkbox', checked: this.selected.has(n.id), 'aria-label': 'select ' + n.label,
        onclick: (e: Event) => { e.stopPropagation(); this.onSelect(n.id, true); } });
      body.append(h('tr', { class: this.selected.has(n.id) ? 'selected' : '', 'data-id': n.id,
        onclick: (e: MouseEvent) => this.onSelect(n.id, e.shiftKey || e.ctrlKey || e.metaKey) },
        h('td', {}, cb),
        ...cols.map((c, i) => {
          const v = c.value(n, deg);
          const td = h('td', { text: c.format ? c.format(v) : String(v) });
          if (i === 0) td.prepend(h('span.dot', { style: `background:${nodeColour(n)}` }));
          return td;
        })));
    }
    clear(this.el);
    this.el.append(h('table.topo', {}, h('thead', {}, head), body));
    if (rows.length > MAX_ROWS) this.el.append(h('p.muted', { text: `First ${MAX_ROWS} of ${rows.length} rows; narrow with filters or search.` }));
  }
}
