import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { api } from './api';
import { h } from './dom';
import { controlFrame } from './model';

/**
 * A terminal over the exec WebSocket (/api/containers/{id}/exec/ws?cmd=sh). Binary frames from the
 * server are terminal output; its last text frame is {"type":"exit","code":N} before it closes.
 * Keystrokes go out as binary frames (UTF-8); a resize goes out as the text frame
 * {"type":"resize","cols":C,"rows":R}, also when the window or the drawer changes size. Copy:
 * select, then Ctrl+Shift+C; paste: Ctrl+Shift+V or the browser's paste.
 */
export function openTerminal(containerId: string): { body: HTMLElement; onShow(): void; onClose(): void } {
  const body = h('div.term');
  const status = h('div.termstatus.muted', { text: 'Connecting…' });
  const screen = h('div.termscreen');
  body.append(status, screen);
  const term = new Terminal({ cursorBlink: true, fontSize: 13, convertEol: false, scrollback: 5000,
    theme: { background: '#0f1720', foreground: '#e6edf3' } });
  const fit = new FitAddon();
  term.loadAddon(fit);
  let ws: WebSocket | null = null;
  let opened = false;
  const enc = new TextEncoder();
  const sendResize = () => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
  };
  term.attachCustomKeyEventHandler(e => {
    if (e.type === 'keydown' && e.ctrlKey && e.shiftKey && e.code === 'KeyC') {
      navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
      return false;
    }
    if (e.type === 'keydown' && e.ctrlKey && e.shiftKey && e.code === 'KeyV') {
      navigator.clipboard?.readText().then(t => term.paste(t)).catch(() => {});
      return false;
    }
    return true;
  });
  term.onData(d => { if (ws?.readyState === WebSocket.OPEN) ws.send(enc.encode(d)); });
  term.onResize(sendResize);
  const connect = async () => {
    const path = api.execPath(containerId) + `&cols=${term.cols}&rows=${term.rows}`;
    try {
      await api.probeWs(path);
    } catch (e) {
      status.textContent = e instanceof Error ? e.message : String(e);
      status.className = 'termstatus error';
      return;
    }
    ws = new WebSocket(api.wsUrl(path));
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { status.textContent = `Connected: sh in ${containerId.slice(0, 12)}`; status.className = 'termstatus ok'; sendResize(); term.focus(); };
    let exitCode: number | null = null;
    ws.onmessage = ev => {
      if (typeof ev.data !== 'string') { term.write(new Uint8Array(ev.data)); return; }
      const control = controlFrame(ev.data);
      if (control?.type === 'exit') exitCode = control.code ?? null;
      else term.write(ev.data);
    };
    ws.onclose = ev => {
      status.textContent = exitCode !== null ? `Process exited with code ${exitCode}.`
        : `Session ended${ev.reason ? ': ' + ev.reason : ''} (code ${ev.code}).`;
      status.className = exitCode === 0 ? 'termstatus ok' : 'termstatus warn';
    };
  };
  // The drawer follows the window (38vh) and the layout: refit, and onResize tells the pty.
  const resized = new ResizeObserver(() => { if (opened && !body.hidden) fit.fit(); });
  return {
    body,
    onShow() {
      if (!opened) { term.open(screen); opened = true; fit.fit(); connect(); resized.observe(screen); }
      else fit.fit();
    },
    onClose() { resized.disconnect(); ws?.close(); term.dispose(); },
  };
}
