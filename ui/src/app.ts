import { api, ApiError, type Delta, type Me, type Snapshot, type ViewNode, type ViewSummary } from './api';
import { clear, h, toast } from './dom';
import { DetailsPanel } from './details';
import { Drawer } from './drawer';
import { GraphView } from './graph/GraphView';
import { NoGraph, webglAvailable, type GraphSurface } from './graph/NoGraph';
import { groupKeyFor, groupTopology, GROUP_PREFIX, TopoStore, type Grouped } from './model';
import { deleteFilter, filterQuery, parseState, saveFilter, savedFilters, stateQuery, type UiState } from './state';
import { TableView } from './table';

type Conn = 'connecting' | 'live' | 'lost';

/** The main page: views, search, filters, graph/table, details, drawer, status bar. */
export class App {
  private state: UiState = parseState(location.search);
  private views: ViewSummary[] = [];
  private store = new TopoStore();
  private ws: WebSocket | null = null;
  private wsKey = '';
  private conn: Conn = 'connecting';
  private everLive = false;
  private retry = 0;
  private retryTimer: number | undefined;
  private lastMessage = 0;
  private renderQueued = false;
  private layoutKey = '';
  private grouped: Grouped | undefined;
  private shown: { nodes: ViewNode[]; byId: Map<string, ViewNode>; memberOf: Map<string, string> } =
    { nodes: [], byId: new Map(), memberOf: new Map() };

  private readonly viewTabs = h('nav.views', { 'aria-label': 'Views' });
  private readonly searchBox = h('input#search', { type: 'search', placeholder: 'Search name, IP, label, image…  ( / )', 'aria-label': 'Search', autocomplete: 'off' }) as HTMLInputElement;
  private readonly searchResults = h('div.search-results', { hidden: true });
  private readonly banner = h('div.banner', { hidden: true, role: 'status' });
  private readonly filterPanel = h('aside.filters', { 'aria-label': 'Filters' });
  private readonly canvas = h('div.canvas', { 'data-testid': 'graph' });
  private readonly tableEl = h('div.tablewrap', { hidden: true });
  private readonly staleMark = h('div.stale-mark', { hidden: true });
  private readonly detailsEl = h('aside.details', { hidden: true, 'aria-label': 'Details' });
  private readonly drawerEl = h('div.drawer');
  private readonly statusCounts = h('span.counts');
  private readonly statusConn = h('span.conn');
  private readonly statusTime = h('span.muted');
  private readonly statusLayout = h('span.muted', { 'data-testid': 'layout-status' });
  private readonly graph: GraphSurface;
  /** False when the browser has no WebGL: the page then shows the table only. */
  private readonly hasGraph: boolean;
  private readonly table: TableView;
  private readonly details: DetailsPanel;
  private readonly drawer: Drawer;

  constructor(private readonly root: HTMLElement, me: Me, private readonly onSignedOut: () => void) {
    const modeBtn = h('button.mode', { title: 'Graph or table (t)', 'data-testid': 'mode', onclick: () => this.toggleMode() });
    const top = h('header.top', {},
      h('div.brand', {}, h('span.logo', { text: '◈' }), 'Portolan'),
      this.viewTabs,
      h('div.searchwrap', {}, this.searchBox, this.searchResults),
      h('button', { text: 'Filters', class: 'filters-toggle', onclick: () => this.root.classList.toggle(matchMedia('(max-width: 1024px)').matches ? 'show-filters' : 'hide-filters') }),
      modeBtn,
      h('div.user', {}, h('span', { text: `${me.name} · ${me.role.toLowerCase()}`, 'data-testid': 'user' }),
        h('button', { text: 'Sign out', onclick: () => this.signOut() })));
    const tools = h('div.graphtools', {},
      h('button', { title: 'Zoom in', text: '+', onclick: () => this.graph.zoom(1.5) }),
      h('button', { title: 'Zoom out', text: '−', onclick: () => this.graph.zoom(1 / 1.5) }),
      h('button', { title: 'Fit (f)', text: '⤢', onclick: () => this.graph.fit() }),
      h('button', { title: 'Lay out again', text: '↻', onclick: () => this.graph.relayout() }));
    const main = h('div.main', {}, this.filterPanel,
      h('section.stage', {}, this.canvas, tools, this.tableEl, this.staleMark), this.detailsEl);
    const status = h('footer.status', {}, this.statusConn, this.statusCounts, this.statusLayout, this.statusTime);
    clear(root);
    root.className = 'app';
    root.append(top, this.banner, main, this.drawerEl, status);

    let graph: GraphView | undefined;
    if (webglAvailable()) {
      try {
        graph = new GraphView(this.canvas, {
          onClick: (id, additive) => this.select(id, additive),
          onDoubleClick: id => { if (id.startsWith(GROUP_PREFIX)) this.expandGroup(id); },
          onStage: () => { if (this.state.selection.length) this.setState({ selection: [] }); },
        });
      } catch (e) {
        console.warn('The graph cannot be drawn here; showing the table instead.', e);
      }
    }
    if (graph) {
      // Large graphs are laid out with their edges hidden (GraphView.hideEdgesDuringLayoutFrom): say why.
      graph.onLayout = state => {
        this.statusLayout.textContent = !state ? '' : state.edgesHidden ? 'laying out… (edges shown when settled)' : 'laying out…';
      };
    }
    this.hasGraph = graph !== undefined;
    this.graph = graph ?? new NoGraph();
    (window as unknown as { portolan: unknown }).portolan = { graph: this.graph, app: this };
    this.table = new TableView(this.tableEl, (id, additive) => this.select(id, additive));
    this.details = new DetailsPanel(this.detailsEl, {
      me,
      navigate: (view, id) => this.navigate(view, id),
      openLogs: (cid, label) => this.openLogs(cid, label),
      openTerminal: (cid, label) => this.openTerminal(cid, label),
      expandGroup: id => this.expandGroup(id),
      clearSelection: () => this.setState({ selection: [] }),
    });
    this.drawer = new Drawer(this.drawerEl, () => requestAnimationFrame(() => this.graph.resize()));
    this.updateMode(modeBtn);
    if (!this.hasGraph) {
      modeBtn.setAttribute('disabled', '');
      modeBtn.title = 'This browser cannot draw the graph (no WebGL): the table shows the view.';
      this.showBanner('This browser cannot draw the graph (WebGL is off or missing), so the view is shown as a table. '
        + 'Turn on hardware acceleration or WebGL to see the map.', 'ok', 20000);
    }
    this.wireSearch();
    this.wireKeys();
    window.addEventListener('popstate', () => { this.state = parseState(location.search); this.apply(); });
    window.addEventListener('resize', () => this.graph.resize());
    this.loadViews();
    window.setInterval(() => this.loadViews(), 10000);
    this.apply();
  }

  // ---- state and URL -------------------------------------------------------------------------------
  private setState(patch: Partial<UiState>, replace = false) {
    this.state = { ...this.state, ...patch };
    const url = '?' + stateQuery(this.state);
    if (url !== location.search) (replace ? history.replaceState : history.pushState).call(history, null, '', url);
    this.apply();
  }

  /** Brings everything in line with this.state (after a click, a back button or a shared link). */
  private apply() {
    const key = this.state.view + '?' + filterQuery(this.state.filters);
    if (key !== this.wsKey) {
      this.wsKey = key;
      this.store = new TopoStore();
      this.graph.clear();
      this.connect();
    }
    this.renderViewTabs();
    this.renderFilters();
    this.updateMode();
    this.scheduleRender();
  }

  private select(id: string, additive: boolean) {
    let sel = this.state.selection;
    if (additive) sel = sel.includes(id) ? sel.filter(s => s !== id) : [...sel, id];
    else sel = sel.length === 1 && sel[0] === id ? [] : [id];
    this.setState({ selection: sel });
  }

  private navigate(view: string | null, id: string) {
    if (view && view !== this.state.view) this.setState({ view, selection: [id], expanded: [] });
    else this.setState({ selection: [id] });
    setTimeout(() => this.graph.focus(id), 300);
  }

  private expandGroup(id: string) {
    const key = id.slice(GROUP_PREFIX.length);
    this.setState({ expanded: [...new Set([...this.state.expanded, key])], selection: [] });
  }

  private toggleMode() {
    if (this.hasGraph) this.setState({ mode: this.state.mode === 'graph' ? 'table' : 'graph' });
  }

  private updateMode(btn?: HTMLElement) {
    const b = btn ?? this.root.querySelector('button.mode');
    const table = this.state.mode === 'table' || !this.hasGraph;
    if (b) b.textContent = table ? 'Graph' : 'Table';
    this.tableEl.hidden = !table;
    this.canvas.hidden = table;
    (this.root.querySelector('.graphtools') as HTMLElement | null)?.toggleAttribute('hidden', table);
    if (!table) requestAnimationFrame(() => this.graph.resize());
  }

  // ---- views ---------------------------------------------------------------------------------------
  private async loadViews() {
    try {
      this.views = await api.views();
      this.renderViewTabs();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.onSignedOut();
    }
  }

  private renderViewTabs() {
    clear(this.viewTabs);
    const sel = h('select.viewselect', { 'aria-label': 'View', onchange: (e: Event) =>
      this.setState({ view: (e.target as HTMLSelectElement).value, selection: [], expanded: [] }) }) as HTMLSelectElement;
    this.views.forEach((v, i) => {
      this.viewTabs.append(h('button.viewtab', {
        class: v.name === this.state.view ? 'active' : '', 'data-view': v.name, title: `${v.label} (${i + 1})`,
        onclick: () => this.setState({ view: v.name, selection: [], expanded: [] }),
      }, v.label, h('span.badge', { text: String(v.nodes) })));
      sel.append(h('option', { value: v.name, text: `${v.label} (${v.nodes})`, selected: v.name === this.state.view }));
    });
    this.viewTabs.append(sel);
  }

  // ---- live stream -----------------------------------------------------------------------------------
  private connect() {
    window.clearTimeout(this.retryTimer);
    if (this.ws) { this.ws.onclose = null; this.ws.close(); }
    const ws = new WebSocket(api.topologyWsUrl(this.state.view, filterQuery(this.state.filters)));
    this.ws = ws;
    if (this.conn !== 'lost') this.setConn('connecting');
    ws.onmessage = ev => {
      const msg = JSON.parse(ev.data) as Snapshot | Delta;
      this.lastMessage = Date.now();
      if (msg.type === 'snapshot') {
        this.store.applySnapshot(msg);
        this.retry = 0;
        if (this.conn === 'lost') this.showBanner('Connection restored: the map is live again.', 'ok', 4000);
        this.setConn('live');
      } else if (msg.type === 'delta') this.store.applyDelta(msg);
      this.scheduleRender();
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.everLive || this.conn === 'live') this.setConn('lost');
      else this.setConn('lost');
      const delay = Math.min(10000, 1000 * 2 ** this.retry++);
      this.retryTimer = window.setTimeout(async () => {
        try { await api.me(); } catch (e) { if (e instanceof ApiError && e.status === 401) { this.onSignedOut(); return; } }
        this.connect();
      }, delay);
    };
  }

  private setConn(c: Conn) {
    this.conn = c;
    if (c === 'live') this.everLive = true;
    this.root.classList.toggle('disconnected', c === 'lost');
    this.statusConn.className = 'conn ' + c;
    this.statusConn.setAttribute('data-testid', 'conn');
    this.statusConn.textContent = c === 'live' ? '● live' : c === 'connecting' ? '○ connecting…' : '● disconnected';
    if (c === 'lost') {
      const when = this.lastMessage ? new Date(this.lastMessage).toLocaleTimeString() : 'never';
      this.showBanner(`Connection to Portolan lost. What you see is from ${when} and is NOT live; reconnecting…`, 'error');
      this.staleMark.hidden = false;
      this.staleMark.textContent = `Not live · last update ${when}`;
    } else {
      this.staleMark.hidden = true;
      if (c === 'live' && this.banner.classList.contains('error')) this.banner.hidden = true;
    }
  }

  private bannerTimer: number | undefined;
  private showBanner(text: string, kind: 'ok' | 'error', hideAfter = 0) {
    window.clearTimeout(this.bannerTimer);
    this.banner.textContent = text;
    this.banner.className = 'banner ' + kind;
    this.banner.setAttribute('data-testid', 'banner');
    this.banner.hidden = false;
    if (hideAfter) this.bannerTimer = window.setTimeout(() => { this.banner.hidden = true; }, hideAfter);
  }

  // ---- render ----------------------------------------------------------------------------------------
  private scheduleRender() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => { this.renderQueued = false; this.render(); });
  }

  private render() {
    const s = this.state;
    const key = groupKeyFor(s.group, s.groupLabel);
    const g = groupTopology(this.store.nodes.values(), this.store.edges.values(), key, new Set(s.expanded), this.grouped);
    this.grouped = g;
    this.shown = { nodes: g.nodes, byId: new Map(g.nodes.map(n => [n.id, n])), memberOf: g.memberOf };
    if (s.mode === 'graph' && this.hasGraph) {
      const r = this.graph.setData(g.nodes, g.edges);
      // A new view, grouping or expansion is laid out afresh; a delta only places its new nodes (place.ts).
      const layoutKey = `${this.wsKey}|${s.group}|${s.groupLabel}|${s.expanded.join(',')}`;
      if ((r.fresh || layoutKey !== this.layoutKey) && g.nodes.length) { this.layoutKey = layoutKey; this.graph.relayout(); }
      this.graph.setSelection(s.selection);
      if (this.graph.sizeMetricName !== s.size) this.graph.setSizeMetric(s.size);
    } else {
      this.table.setData(g.nodes, g.edges);
      this.table.setSelection(s.selection);
    }
    const total = this.store.nodes.size;
    this.statusCounts.textContent = `${this.viewLabel()}: ${g.nodes.length} nodes${g.nodes.length !== total ? ` (${total} before grouping)` : ''} · ${g.edges.length} edges`;
    this.statusTime.textContent = this.store.at ? `model v${this.store.modelVersion} · ${new Date(this.store.at).toLocaleTimeString()}` : '';
    this.renderDetails();
    this.renderSizeOptions();
  }

  private viewLabel() { return this.views.find(v => v.name === this.state.view)?.label ?? this.state.view; }

  private renderDetails() {
    const sel = this.state.selection.map(id => this.shown.byId.get(id) ?? this.store.nodes.get(id)).filter(Boolean) as ViewNode[];
    if (this.state.selection.length === 0) { this.details.hide(); this.root.classList.remove('with-details'); return; }
    this.root.classList.add('with-details');
    if (sel.length === 0) return; // not arrived yet (shared link, stream still connecting)
    if (sel.length > 1) { this.details.showBulk(sel); return; }
    const n = sel[0];
    if (n.id.startsWith(GROUP_PREFIX)) {
      const members = [...this.shown.memberOf].filter(([, gid]) => gid === n.id).map(([id]) => this.store.nodes.get(id)!).filter(Boolean);
      if (!this.detailsEl.dataset.group || this.detailsEl.dataset.group !== n.id) { this.details.showGroup(n, members); this.detailsEl.dataset.group = n.id; }
      return;
    }
    delete this.detailsEl.dataset.group;
    this.details.show(this.state.view, n);
  }

  private lastSizeOptions = '';
  private renderSizeOptions() {
    const metrics = new Set<string>();
    for (const n of this.store.nodes.values()) for (const m of Object.keys(n.metrics ?? {})) metrics.add(m);
    const key = [...metrics].sort().join(',');
    if (key === this.lastSizeOptions) return;
    this.lastSizeOptions = key;
    this.renderFilters();
  }

  // ---- filters panel -----------------------------------------------------------------------------
  private renderFilters() {
    const f = this.state.filters;
    const setF = (patch: Partial<typeof f>) => this.setState({ filters: { ...f, ...patch }, selection: [] });
    const select = (name: string, label: string, value: string | undefined, opts: [string, string][], on: (v: string) => void) =>
      h('label', {}, label, h('select', { name, onchange: (e: Event) => on((e.target as HTMLSelectElement).value) },
        ...opts.map(([v, t]) => h('option', { value: v, text: t, selected: (value ?? '') === v }))));
    const metrics = this.lastSizeOptions ? this.lastSizeOptions.split(',') : [];
    const labelsInput = h('input', { name: 'labels', value: f.labels.join(', '), placeholder: 'app=web, tier' }) as HTMLInputElement;
    const nsInput = h('input', { name: 'namespace', value: f.namespace ?? '', placeholder: 'any' }) as HTMLInputElement;
    const saveName = h('input', { placeholder: 'name', 'aria-label': 'Saved filter name' }) as HTMLInputElement;
    const saved = savedFilters();
    clear(this.filterPanel);
    this.filterPanel.append(
      h('h3', { text: 'Filters' }),
      select('state', 'State', f.state, [['', 'all'], ['running', 'running'], ['stopped', 'stopped']], v => setF({ state: v || undefined })),
      select('category', 'Category', f.category, [['', 'all'], ['application', 'application'], ['system', 'system']], v => setF({ category: v || undefined })),
      select('connectivity', 'Connections', f.connectivity, [['', 'all'], ['connected', 'connected'], ['unconnected', 'unconnected']], v => setF({ connectivity: v || undefined })),
      h('form', { onsubmit: (e: Event) => { e.preventDefault(); setF({ namespace: nsInput.value.trim() || undefined, labels: labelsInput.value.split(',').map(x => x.trim()).filter(Boolean) }); } },
        h('label', {}, 'Namespace', nsInput), h('label', {}, 'Labels (key or key=value)', labelsInput), h('button', { type: 'submit', text: 'Apply' })),
      h('h3', { text: 'Display' }),
      select('group', 'Group by', this.state.group, [['', 'nothing'], ['host', 'host'], ['namespace', 'namespace'], ['label', 'label…']],
        v => this.setState({ group: v as UiState['group'], expanded: [], selection: [] })),
      this.state.group === 'label' ? h('form', { onsubmit: (e: Event) => { e.preventDefault(); this.setState({ groupLabel: ((e.target as HTMLFormElement).elements.namedItem('gl') as HTMLInputElement).value, expanded: [] }); } },
        h('label', {}, 'Label key', h('input', { name: 'gl', value: this.state.groupLabel }))) : '',
      this.state.expanded.length ? h('div', {}, h('p.muted', { text: `${this.state.expanded.length} group(s) expanded` }),
        h('button', { text: 'Collapse all', onclick: () => this.setState({ expanded: [] }) })) : '',
      select('size', 'Node size by', this.state.size, [['', 'nothing'], ...metrics.map(m => [m, m.replace(/_/g, ' ')] as [string, string])],
        v => this.setState({ size: v })),
      h('h3', { text: 'Saved filters' }),
      h('p.muted.small', { text: 'Kept in this browser (localStorage). Share a filter by copying the link.' }),
      h('div.row', {}, saveName, h('button', { text: 'Save', onclick: () => {
        if (!saveName.value.trim()) return;
        saveFilter(saveName.value.trim(), stateQuery({ ...this.state, selection: [] }));
        this.renderFilters();
      } })),
      h('ul.saved', {}, ...Object.entries(saved).map(([name, q]) => h('li', {},
        h('a', { href: '?' + q, text: name, onclick: (e: Event) => { e.preventDefault(); history.pushState(null, '', '?' + q); this.state = parseState(location.search); this.apply(); } }),
        h('button.icon', { title: 'Delete', text: '✕', onclick: () => { deleteFilter(name); this.renderFilters(); } })))),
      h('button', { text: 'Copy link', onclick: () => { navigator.clipboard?.writeText(location.href).then(() => toast('Link copied'), () => toast(location.href)); } }),
      h('p.muted.small', { text: 'Keys: / search · 1–9 views · t table · f fit · Esc clear · shift-click multi-select · double-click a group to expand' }),
    );
  }

  // ---- search ------------------------------------------------------------------------------------
  private wireSearch() {
    let timer: number | undefined;
    let seq = 0;
    this.searchBox.addEventListener('input', () => {
      window.clearTimeout(timer);
      const q = this.searchBox.value.trim();
      if (!q) { this.searchResults.hidden = true; return; }
      timer = window.setTimeout(async () => {
        const my = ++seq;
        try {
          const r = await api.search(q);
          if (my !== seq) return;
          clear(this.searchResults);
          if (r.results.length === 0) this.searchResults.append(h('p.muted', { text: 'No matches' }));
          for (const res of r.results) {
            const target = res.views.find(v => v.view === this.state.view) ?? res.views[0];
            this.searchResults.append(h('button.result', {
              onclick: () => { this.searchResults.hidden = true; if (target) this.navigate(target.view, target.id); },
            }, h('strong', { text: res.label }), h('span.muted', { text: ` ${res.kind} · ${res.field}: ${res.match}` })));
          }
          this.searchResults.hidden = false;
        } catch (e) {
          toast(`Search failed: ${e instanceof Error ? e.message : e}`, 'error');
        }
      }, 200);
    });
    this.searchBox.addEventListener('keydown', e => {
      if (e.key === 'Escape') { this.searchBox.value = ''; this.searchResults.hidden = true; this.searchBox.blur(); }
      if (e.key === 'Enter') (this.searchResults.querySelector('button.result') as HTMLButtonElement | null)?.click();
    });
  }

  private wireKeys() {
    document.addEventListener('keydown', e => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, .xterm') || e.altKey || e.ctrlKey || e.metaKey) {
        if ((e.ctrlKey || e.metaKey) && e.key === 'k') { e.preventDefault(); this.searchBox.focus(); }
        return;
      }
      if (e.key === '/') { e.preventDefault(); this.searchBox.focus(); }
      else if (/^[1-9]$/.test(e.key)) { const v = this.views[Number(e.key) - 1]; if (v) this.setState({ view: v.name, selection: [], expanded: [] }); }
      else if (e.key === 't') this.toggleMode();
      else if (e.key === 'f') this.graph.fit();
      else if (e.key === 'Escape') this.setState({ selection: [] });
    });
  }

  // ---- drawer ------------------------------------------------------------------------------------
  private tabSeq = 0;
  private async openTerminal(cid: string, label: string) {
    const { openTerminal } = await import('./terminal');
    const t = openTerminal(cid);
    this.drawer.open({ id: 'term' + ++this.tabSeq, title: `>_ ${label}`, ...t });
  }

  private async openLogs(cid: string, label: string) {
    const { openLogs } = await import('./logs');
    const l = openLogs(cid, label);
    this.drawer.open({ id: 'logs' + ++this.tabSeq, title: `☰ ${label}`, ...l });
  }

  private async signOut() {
    try { await api.logout(); } catch { /* the session ends anyway */ }
    this.ws && (this.ws.onclose = null);
    this.ws?.close();
    this.graph.destroy();
    history.replaceState(null, '', '/');
    this.onSignedOut();
  }
}
