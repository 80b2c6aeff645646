/** A tiny element builder: h('div.cls#id', {attrs/on*}, children...). Text is always set as text. */
export function h<K extends keyof HTMLElementTagNameMap>(spec: K | string, props: Record<string, unknown> = {},
    ...children: (Node | string | null | undefined | false)[]): HTMLElement {
  const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec) ?? [];
  const el = document.createElement(m[1] || 'div');
  for (const part of (m[2] ?? '').match(/[.#][\w-]+/g) ?? []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'class') String(v).split(/\s+/).filter(Boolean).forEach(c => el.classList.add(c));
    else if (k === 'value') (el as HTMLInputElement).value = String(v);
    else if (k === 'checked') (el as HTMLInputElement).checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null && c !== false) el.append(c);
  return el;
}

export function clear(el: Element) { while (el.firstChild) el.removeChild(el.firstChild); }

/** An SVG sparkline of [t, v] samples; the last value is drawn as a dot. */
export function sparkline(samples: [number, number][], width = 160, height = 32, colour = '#1f5fa8'): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(width)); svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.classList.add('spark');
  if (samples.length < 2) return svg;
  const t0 = samples[0][0], t1 = samples[samples.length - 1][0];
  let lo = Infinity, hi = -Infinity;
  for (const [, v] of samples) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (hi === lo) { hi += 1; lo -= 1; }
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * (width - 4) + 2;
  const y = (v: number) => height - 2 - ((v - lo) / (hi - lo)) * (height - 4);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', samples.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
  line.setAttribute('fill', 'none'); line.setAttribute('stroke', colour); line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  const [lt, lv] = samples[samples.length - 1];
  const dot = document.createElementNS(ns, 'circle');
  dot.setAttribute('cx', x(lt).toFixed(1)); dot.setAttribute('cy', y(lv).toFixed(1)); dot.setAttribute('r', '2.5');
  dot.setAttribute('fill', colour);
  svg.append(dot);
  svg.dataset.last = String(lv);
  return svg;
}

export function toast(message: string, kind: 'error' | 'info' = 'info') {
  const host = document.getElementById('toasts') ?? document.body.appendChild(h('div#toasts'));
  const t = h('div.toast.' + kind, { role: kind === 'error' ? 'alert' : 'status', text: message });
  host.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 3500);
}

/** A modal confirm that says what will happen; resolves true only on the explicit button. */
export function confirmDialog(title: string, body: string, okLabel: string): Promise<boolean> {
  return new Promise(resolve => {
    const close = (v: boolean) => { back.remove(); resolve(v); };
    const ok = h('button.danger', { text: okLabel, onclick: () => close(true), 'data-testid': 'confirm-ok' });
    const back = h('div.modal-back', { onclick: (e: Event) => { if (e.target === back) close(false); } },
      h('div.modal', { role: 'dialog', 'aria-modal': 'true' },
        h('h3', { text: title }), h('p', { text: body }),
        h('div.row', {}, h('button', { text: 'Cancel', onclick: () => close(false) }), ok)));
    back.addEventListener('keydown', e => { if ((e as KeyboardEvent).key === 'Escape') close(false); });
    document.body.append(back);
    ok.focus();
  });
}
