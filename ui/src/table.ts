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
  /** The row of each shown node, reused across renders; {@link shape} is the columns their cells were made for. */
  private readonly rows = new Map<string, { tr: HTMLElement; cb: HTMLInputElement; cells: HTMLElement[]; dot: HTMLElement }>();
  private shape = '';
  private table?: HTMLElement;
  private thead?: HTMLElement;
  private tbody?: HTMLElement;

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
    // Rows are kept per node id and updated in place: a delta every 250 ms must not replace the row
    // under the pointer (a click whose press and release land on different elements is lost) nor
    // the focus of its checkbox. A change of columns starts the rows afresh.
    const shape = cols.map(c => c.key).join('\n');
    if (shape !== this.shape) {
      // Other columns (a metric appeared or went): new cells, in the same rows.
      for (const row of this.rows.values()) {
        row.cells = cols.map(() => h('td'));
        row.tr.replaceChildren(row.cb.parentElement!, ...row.cells);
      }
      this.shape = shape;
    }
    const shown = rows.slice(0, MAX_ROWS);
    const keep = new Set<string>();
    const ordered: HTMLElement[] = [];
    for (const n of shown) {
      keep.add(n.id);
      let row = this.rows.get(n.id);
      if (!row) {
        const id = n.id;
        const cb = h('input', { type: 'checkbox', onclick: (e: Event) => { e.stopPropagation(); this.onSelect(id, true); } }) as HTMLInputElement;
        const cells = cols.map(() => h('td'));
        const dot = h('span.dot');
        const tr = h('tr', { 'data-id': id, onclick: (e: MouseEvent) => this.onSelect(id, e.shiftKey || e.ctrlKey || e.metaKey) },
          h('td', {}, cb), ...cells);
        row = { tr, cb, cells, dot };
        this.rows.set(id, row);
      }
      const selected = this.selected.has(n.id);
      row.tr.classList.toggle('selected', selected);
      row.cb.checked = selected;
      row.cb.setAttribute('aria-label', 'select ' + n.label);
      cols.forEach((c, i) => {
        const v = c.value(n, deg);
        const text = c.format ? c.format(v) : String(v);
        const td = row!.cells[i];
        if (i === 0) {
          if (td.lastChild?.textContent !== text || td.firstChild !== row!.dot) { clear(td); td.append(row!.dot, text); }
        } else if (td.textContent !== text) {
          td.textContent = text;
        }
      });
      row.dot.style.background = nodeColour(n);
      ordered.push(row.tr);
    }
    for (const id of [...this.rows.keys()]) if (!keep.has(id)) this.rows.delete(id);
    if (!this.table) {
      this.thead = h('thead');
      this.tbody = h('tbody');
      this.table = h('table.topo', {}, this.thead, this.tbody);
    }
    this.thead!.replaceChildren(head);
    // Moves only what is out of place; rows already in order stay where they are.
    let at = this.tbody!.firstChild;
    for (const tr of ordered) {
      if (tr === at) { at = at.nextSibling; continue; }
      this.tbody!.insertBefore(tr, at);
    }
    while (at) { const next = at.nextSibling; this.tbody!.removeChild(at); at = next; }
    if (this.table.parentNode !== this.el || this.el.childNodes.length !== 1 + (rows.length > MAX_ROWS ? 1 : 0)) {
      clear(this.el);
      this.el.append(this.table);
      if (rows.length > MAX_ROWS) this.el.append(h('p.muted', { text: `First ${MAX_ROWS} of ${rows.length} rows; narrow with filters or search.` }));
    } else if (rows.length > MAX_ROWS) {
      this.el.lastChild!.textContent = `First ${MAX_ROWS} of ${rows.length} rows; narrow with filters or search.`;
    }
  }
}
