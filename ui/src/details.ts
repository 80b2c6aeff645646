import { api, ApiError, CONTROL_ACTIONS, DESTRUCTIVE, containerIdOf, roleAtLeast, type ControlAction, type Me,
  type NodeDetail, type Ref, type ViewNode } from './api';
import { clear, confirmDialog, h, sparkline, toast } from './dom';
import { formatMetric, GROUP_PREFIX, nodeColour } from './model';

export interface DetailsHost {
  me: Me;
  navigate(view: string | null, id: string): void;
  openLogs(containerId: string, label: string): void;
  openTerminal(containerId: string, label: string): void;
  expandGroup(groupId: string): void;
  clearSelection(): void;
}

const METRIC_ORDER = ['cpu_percent', 'memory_bytes', 'rss_bytes', 'net_rx_bytes_per_s', 'net_tx_bytes_per_s'];

/** Runs a control on containers after asking for destructive ones; reports per-container failures. */
export async function runControl(ids: { id: string; label: string }[], action: ControlAction): Promise<void> {
  if (ids.length === 0) return;
  if (DESTRUCTIVE.has(action)) {
    const names = ids.slice(0, 5).map(i => i.label).join(', ') + (ids.length > 5 ? ` and ${ids.length - 5} more` : '');
    const ok = await confirmDialog(`${cap(action)} ${ids.length === 1 ? 'container' : ids.length + ' containers'}?`,
      `This will ${action} ${names}.${action === 'remove' ? ' Removal cannot be undone.' : ''}`, cap(action));
    if (!ok) return;
  }
  if (ids.length > 1) {
    try {
      const r = await api.bulkControl(ids.map(i => i.id), action);
      const firstFail = r.results.find(x => x.status >= 300);
      if (r.failed === 0) toast(`${cap(action)}: sent to ${r.ok} containers`);
      else toast(`${cap(action)} failed for ${r.failed} of ${ids.length}: ${firstFail?.message ?? ''}`, 'error');
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) { toast(`${cap(action)} failed: ${e instanceof Error ? e.message : e}`, 'error'); return; }
    }
  }
  const results = await Promise.allSettled(ids.map(i => api.control(i.id, action)));
  const failed = results.map((r, k) => [r, ids[k]] as const).filter(([r]) => r.status === 'rejected');
  if (failed.length === 0) toast(`${cap(action)}: sent to ${ids.length === 1 ? ids[0].label : ids.length + ' containers'}`);
  else {
    const first = (failed[0][0] as PromiseRejectedResult).reason;
    toast(`${cap(action)} failed for ${failed.length} of ${ids.length}: ${first instanceof Error ? first.message : first}`, 'error');
  }
}

function cap(s: string) { return s[0].toUpperCase() + s.slice(1); }

/**
 * The details panel of one node: the static part (title, controls) is built once per node; the
 * detail (metadata, labels, links, sparklines) is fetched every second and redrawn in place.
 */
export class DetailsPanel {
  private timer: number | undefined;
  private current: { view: string; id: string } | null = null;
  private live: HTMLElement | null = null;
  private stamp: HTMLElement | null = null;
  private generation = 0;
  private infoKey = '';

  constructor(private readonly el: HTMLElement, private readonly host: DetailsHost) {}

  hide() { this.stop(); this.current = null; clear(this.el); this.el.hidden = true; }

  private stop() { window.clearTimeout(this.timer); this.generation++; }

  showGroup(node: ViewNode, members: ViewNode[]) {
    this.stop(); this.current = null; clear(this.el); this.el.hidden = false;
    this.el.append(this.header(node),
      h('p', { text: `A group of ${node.count} ${node.kind} nodes. Double-click it in the graph or expand it here.` }),
      h('button.primary', { text: 'Expand group', onclick: () => this.host.expandGroup(node.id) }),
      h('h4', { text: 'Members' }),
      h('ul.refs', {}, ...members.slice(0, 200).map(m => h('li', {}, h('span.dot', { style: `background:${nodeColour(m)}` }), m.label))));
  }

  showBulk(nodes: ViewNode[]) {
    this.stop(); this.current = null; clear(this.el); this.el.hidden = false;
    const containers = nodes.map(n => ({ n, id: containerIdOf(n) })).filter(x => x.id) as { n: ViewNode; id: string }[];
    this.el.append(h('div.dhead', {}, h('h2', { text: `${nodes.length} selected` }),
      h('button.icon', { title: 'Clear selection (Esc)', text: '✕', onclick: () => this.host.clearSelection() })),
      h('ul.refs', {}, ...nodes.slice(0, 100).map(n => h('li', {}, h('span.dot', { style: `background:${nodeColour(n)}` }), n.label))));
    if (roleAtLeast(this.host.me.role, 'OPERATOR') && containers.length > 0) {
      this.el.append(h('h4', { text: `Controls for ${containers.length} container(s)` }),
        h('div.controls', {}, ...CONTROL_ACTIONS.map(a => h('button', {
          class: DESTRUCTIVE.has(a) ? 'danger' : '', 'data-action': a, text: cap(a),
          onclick: () => runControl(containers.map(c => ({ id: c.id, label: c.n.label })), a),
        }))));
    }
  }

  show(view: string, node: ViewNode) {
    if (node.id.startsWith(GROUP_PREFIX)) return;
    if (this.current && this.current.view === view && this.current.id === node.id) return;
    this.stop();
    this.current = { view, id: node.id };
    clear(this.el); this.el.hidden = false;
    const cid = containerIdOf(node);
    const operator = roleAtLeast(this.host.me.role, 'OPERATOR');
    this.el.append(this.header(node));
    if (cid && operator) {
      this.el.append(h('div.controls', { 'data-testid': 'controls' }, ...CONTROL_ACTIONS.map(a => h('button', {
        class: DESTRUCTIVE.has(a) ? 'danger' : '', 'data-action': a, text: cap(a),
        onclick: () => runControl([{ id: cid, label: node.label }], a),
      }))), h('div.controls', {},
        h('button', { text: '☰ Logs', 'data-action': 'logs', onclick: () => this.host.openLogs(cid, node.label) }),
        h('button', { text: '>_ Terminal', 'data-action': 'terminal', onclick: () => this.host.openTerminal(cid, node.label) })));
    }
    this.stamp = h('p.muted.stamp');
    this.live = h('div.live', {}, h('p.muted', { text: 'Loading…' }));
    this.el.append(this.stamp, this.live);
    this.poll(this.generation);
  }

  private header(node: ViewNode) {
    return h('div.dhead', {},
      h('span.dot.big', { style: `background:${nodeColour(node)}` }),
      h('div', {}, h('h2', { text: node.label }), h('p.muted', { text: [node.kind, node.labelMinor].filter(Boolean).join(' · ') })),
      h('button.icon', { title: 'Close (Esc)', text: '✕', onclick: () => this.host.clearSelection() }));
  }

  private async poll(gen: number) {
    const cur = this.current;
    if (!cur) return;
    try {
      const d = await api.detail(cur.view, cur.id);
      if (gen !== this.generation) return;
      this.render(d);
      this.stamp!.textContent = `Live · updated ${new Date().toLocaleTimeString()}`;
      this.stamp!.className = 'muted stamp';
    } catch (e) {
      if (gen !== this.generation) return;
      const gone = e instanceof ApiError && e.status === 404;
      this.stamp!.textContent = gone ? 'This node is no longer in the view (shown as last seen).'
        : `Not live: ${e instanceof Error ? e.message : e}. Values below are from the last successful update.`;
      this.stamp!.className = 'stamp warn';
      this.el.classList.add('stale');
    }
    if (gen === this.generation) this.timer = window.setTimeout(() => this.poll(gen), 1000);
  }

  private render(d: NodeDetail) {
    this.el.classList.remove('stale');
    const scroll = this.el.scrollTop;
    // Metrics change every second; the rest is rebuilt only when it changed (links stay clickable).
    const infoKey = JSON.stringify([d.metadata, d.labels, d.parents, d.children, d.inbound, d.outbound]);
    if (!this.live!.firstElementChild?.classList.contains('mpart')) {
      clear(this.live!);
      this.live!.append(h('div.mpart'), h('div.ipart'));
      this.infoKey = '';
    }
    const mpart = this.live!.querySelector('.mpart') as HTMLElement;
    let live = mpart;
    clear(live);
    const metrics = [...(d.metrics ?? [])].sort((a, b) => rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric));
    if (metrics.length) {
      live.append(h('h4', { text: 'Metrics' }), h('div.metrics', {}, ...metrics.map(m => h('div.metric', { 'data-metric': m.metric },
        h('div.mname', { text: m.metric.replace(/_/g, ' ') }),
        h('div.mval', { text: formatMetric(m.metric, m.latest) }),
        sparkline(m.samples ?? [], 150, 30, m.metric.startsWith('net') ? '#7a4fb0' : m.metric.includes('mem') || m.metric.includes('rss') ? '#2e7d9e' : '#1f5fa8'),
        h('div.mrange.muted', { text: `min ${formatMetric(m.metric, m.min)} · max ${formatMetric(m.metric, m.max)}` })))));
    } else live.append(h('p.muted', { text: 'No metric samples for this node.' }));
    if (infoKey === this.infoKey) { this.el.scrollTop = scroll; return; }
    this.infoKey = infoKey;
    live = this.live!.querySelector('.ipart') as HTMLElement;
    clear(live);
    if (d.metadata?.length) {
      live.append(h('h4', { text: 'Details' }), h('table.kv', {}, ...d.metadata.map(r => h('tr', { 'data-key': r.id }, h('th', { text: r.label }), h('td', { text: r.value })))));
    }
    const labels = Object.entries(d.labels ?? {});
    if (labels.length) live.append(h('h4', { text: 'Labels' }), h('div.labels', {}, ...labels.map(([k, v]) => h('span.tag', { title: `${k}=${v}`, text: `${k}=${v}` }))));
    const refs = (title: string, list: Ref[]) => list?.length ? [h('h4', { text: title }), h('ul.refs', {}, ...list.map(r => h('li', {},
      r.view ? h('a', { href: '#', text: r.label, onclick: (e: Event) => { e.preventDefault(); this.host.navigate(r.view, r.id); } }) : r.label,
      h('span.muted', { text: ` ${r.kind}` }))))] : [];
    live.append(...refs('Parents', d.parents), ...refs('Children', d.children));
    const links = (title: string, list: { nodeId: string; label: string; connections: number }[], arrow: string) => list?.length
      ? [h('h4', { text: `${title} (${list.length})` }), h('ul.refs', {}, ...list.map(l => h('li', {},
        h('span.muted', { text: arrow + ' ' }),
        h('a', { href: '#', 'data-node': l.nodeId, text: l.label, onclick: (e: Event) => { e.preventDefault(); this.host.navigate(null, l.nodeId); } }),
        h('span.muted', { text: ` ${l.connections} conn.` }))))] : [];
    live.append(...links('Inbound', d.inbound, '←'), ...links('Outbound', d.outbound, '→'));
    this.el.scrollTop = scroll;
  }
}

function rank(m: string) { const i = METRIC_ORDER.indexOf(m); return i < 0 ? 99 : i; }
