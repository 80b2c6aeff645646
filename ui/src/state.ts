// What the URL holds: view, filters, selection, mode, grouping and sizing. Shareable, and the back
// button walks through it (every change the user makes is a history entry; selection included).

export interface Filters { state?: string; category?: string; connectivity?: string; namespace?: string; labels: string[] }

export interface UiState {
  view: string;
  filters: Filters;
  selection: string[];
  mode: 'graph' | 'table';
  group: '' | 'host' | 'namespace' | 'label';
  groupLabel: string;
  expanded: string[];
  size: string;
}

export const DEFAULT_VIEW = 'containers';

export function parseState(search: string): UiState {
  const p = new URLSearchParams(search);
  const mode = p.get('mode') === 'table' ? 'table' : 'graph';
  const g = p.get('group') ?? '';
  return {
    view: p.get('view') || DEFAULT_VIEW,
    filters: {
      state: p.get('state') || undefined,
      category: p.get('category') || undefined,
      connectivity: p.get('connectivity') || undefined,
      namespace: p.get('namespace') || undefined,
      labels: p.getAll('label').filter(Boolean),
    },
    selection: (p.get('sel') ?? '').split(',').filter(Boolean),
    mode,
    group: (['host', 'namespace', 'label'].includes(g) ? g : '') as UiState['group'],
    groupLabel: p.get('groupLabel') ?? 'app',
    expanded: (p.get('expanded') ?? '').split(',').filter(Boolean),
    size: p.get('size') ?? '',
  };
}

/** The API's filter query (the same names the server parses). */
export function filterQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.state) p.set('state', f.state);
  if (f.category) p.set('category', f.category);
  if (f.connectivity) p.set('connectivity', f.connectivity);
  if (f.namespace) p.set('namespace', f.namespace);
  f.labels.forEach(l => p.append('label', l));
  return p.toString();
}

export function stateQuery(s: UiState): string {
  const p = new URLSearchParams();
  p.set('view', s.view);
  new URLSearchParams(filterQuery(s.filters)).forEach((v, k) => p.append(k, v));
  if (s.mode === 'table') p.set('mode', 'table');
  if (s.group) p.set('group', s.group);
  if (s.group === 'label') p.set('groupLabel', s.groupLabel);
  if (s.expanded.length) p.set('expanded', s.expanded.join(','));
  if (s.size) p.set('size', s.size);
  if (s.selection.length) p.set('sel', s.selection.join(','));
  return p.toString();
}

/** Saved filters live in this browser's localStorage; sharing is by URL. */
const SAVED_KEY = 'portolan.savedFilters';
export function savedFilters(): Record<string, string> {
  try { return JSON.parse(localStorage.getItem(SAVED_KEY) ?? '{}'); } catch { return {}; }
}
export function saveFilter(name: string, query: string) {
  const all = savedFilters(); all[name] = query; localStorage.setItem(SAVED_KEY, JSON.stringify(all));
}
export function deleteFilter(name: string) {
  const all = savedFilters(); delete all[name]; localStorage.setItem(SAVED_KEY, JSON.stringify(all));
}
