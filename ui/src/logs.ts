import { api } from './api';
import { clear, h } from './dom';
import { controlFrame } from './model';

interface Line { stream: 'stdout' | 'stderr'; ts: string; text: string }

const MAX_LINES = 10000;

/**
 * The log viewer over /api/containers/{id}/logs/ws?follow=true&tail=N&timestamps=true. Each text frame
 * is one or more "\n"-separated lines, each a JSON object {"stream","line"|"text"|"message","ts"|"timestamp"}
 * (the node batches a fast log into few frames); plain text lines are read too. With timestamps=true Docker prefixes lines
 * with an RFC 3339 time, which is split off here.
 */
export function openLogs(containerId: string, label: string): { body: HTMLElement; onClose(): void } {
  const lines: Line[] = [];
  let paused = false;
  let pending = 0;
  let streamFilter: 'all' | 'stdout' | 'stderr' = 'all';
  let showTs = true;
  let query = '';
  const view = h('div.logview', { role: 'log', 'aria-live': 'off' });
  const status = h('span.muted', { text: 'Connecting…' });
  const pauseBtn = h('button', { text: 'Pause', 'data-action': 'pause' }) as HTMLButtonElement;
  const search = h('input', { type: 'search', placeholder: 'Search logs', 'aria-label': 'Search logs' }) as HTMLInputElement;
  const streamSel = h('select', { 'aria-label': 'Stream' }, h('option', { value: 'all', text: 'stdout + stderr' }),
    h('option', { value: 'stdout', text: 'stdout' }), h('option', { value: 'stderr', text: 'stderr' })) as HTMLSelectElement;
  const tsBox = h('input', { type: 'checkbox', checked: true }) as HTMLInputElement;
  const render = () => {
    const atBottom = view.scrollTop + view.clientHeight >= view.scrollHeight - 20;
    clear(view);
    const frag = document.createDocumentFragment();
    const q = query.toLowerCase();
    for (const l of lines) {
      if (streamFilter !== 'all' && l.stream !== streamFilter) continue;
      if (q && !l.text.toLowerCase().includes(q)) continue;
      const row = h('div.logline.' + l.stream);
      if (showTs && l.ts) row.append(h('span.ts', { text: l.ts + ' ' }));
      if (q) {
        let i = 0; const low = l.text.toLowerCase();
        for (let j = low.indexOf(q); j >= 0; j = low.indexOf(q, i)) {
          row.append(l.text.slice(i, j), h('mark', { text: l.text.slice(j, j + q.length) }));
          i = j + q.length;
        }
        row.append(l.text.slice(i));
      } else row.append(l.text);
      frag.append(row);
    }
    view.append(frag);
    if (atBottom || !paused) view.scrollTop = view.scrollHeight;
  };
  let scheduled = false;
  const schedule = () => { if (!scheduled) { scheduled = true; requestAnimationFrame(() => { scheduled = false; render(); }); } };
  const add = (l: Line) => {
    lines.push(l);
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    if (paused) { pending++; pauseBtn.textContent = `Resume (${pending} new)`; } else schedule();
  };
  pauseBtn.onclick = () => {
    paused = !paused; pending = 0;
    pauseBtn.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) render();
  };
  search.oninput = () => { query = search.value; render(); };
  streamSel.onchange = () => { streamFilter = streamSel.value as typeof streamFilter; render(); };
  tsBox.onchange = () => { showTs = tsBox.checked; render(); };
  const download = () => {
    const text = lines.map(l => `${l.ts ? l.ts + ' ' : ''}${l.stream === 'stderr' ? '[stderr] ' : ''}${l.text}`).join('\n') + '\n';
    const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/plain' })), download: `${label}-${containerId.slice(0, 12)}.log` }) as HTMLAnchorElement;
    a.click(); setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const body = h('div.logs', {},
    h('div.logbar', {}, status, pauseBtn, search, streamSel, h('label', {}, tsBox, ' timestamps'),
      h('button', { text: 'Download', onclick: download })), view);
  let ws: WebSocket | null = null;
  (async () => {
    const path = api.logsPath(containerId);
    try { await api.probeWs(path); } catch (e) { status.textContent = e instanceof Error ? e.message : String(e); status.className = 'error'; return; }
    ws = new WebSocket(api.wsUrl(path));
    ws.onopen = () => { status.textContent = 'Following'; status.className = 'ok'; };
    let ended = '';
    ws.onmessage = ev => {
      if (typeof ev.data !== 'string') return;
      const control = controlFrame(ev.data);
      if (control?.type === 'end') ended = control.message ?? '';
      else parse(ev.data).forEach(add);
    };
    ws.onclose = () => { status.textContent = `Stream ended${ended ? ': ' + ended : ''} (not live)`; status.className = 'warn'; };
  })();
  return { body, onClose() { ws?.close(); } };
}

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))\s?(.*)$/;

export function parse(data: string): Line[] {
  return data.replace(/\n$/, '').split('\n').map(raw => jsonLine(raw) ?? plainLine(raw));
}

function jsonLine(raw: string): Line | null {
  const t = raw.trimStart();
  if (!t.startsWith('{')) return null;
  try {
    const j = JSON.parse(t);
    const text = String(j.line ?? j.text ?? j.message ?? '');
    const stream = j.stream === 'stderr' ? 'stderr' : 'stdout';
    const m = TS.exec(text);
    return { stream, ts: String(j.ts ?? j.timestamp ?? m?.[1] ?? ''), text: m && !(j.ts ?? j.timestamp) ? m[2] : text };
  } catch { return null; }
}

function plainLine(raw: string): Line {
  const m = TS.exec(raw);
  return { stream: 'stdout', ts: m?.[1] ?? '', text: m ? m[2] : raw };
}
