import { clear, h } from './dom';

export interface Tab { id: string; title: string; body: HTMLElement; onShow?(): void; onClose?(): void }

/** The bottom drawer: tabs of terminals and log viewers (several at once). */
export class Drawer {
  private tabs: Tab[] = [];
  private active: string | null = null;
  private readonly bar = h('div.tabs', { role: 'tablist' });
  private readonly content = h('div.tabbody');

  constructor(private readonly el: HTMLElement, private readonly onResize: () => void) {
    el.append(this.bar, this.content);
    el.hidden = true;
  }

  open(tab: Tab) {
    this.tabs.push(tab);
    this.content.append(tab.body);
    this.select(tab.id);
  }

  select(id: string) {
    this.active = id;
    for (const t of this.tabs) t.body.hidden = t.id !== id;
    this.el.hidden = this.tabs.length === 0;
    this.renderBar();
    this.onResize();
    this.tabs.find(t => t.id === id)?.onShow?.();
  }

  close(id: string) {
    const t = this.tabs.find(x => x.id === id);
    if (!t) return;
    t.onClose?.();
    t.body.remove();
    this.tabs = this.tabs.filter(x => x !== t);
    if (this.active === id) this.active = this.tabs[this.tabs.length - 1]?.id ?? null;
    if (this.active) this.select(this.active); else { this.el.hidden = true; this.renderBar(); this.onResize(); }
  }

  private renderBar() {
    clear(this.bar);
    for (const t of this.tabs) {
      this.bar.append(h('div.tab', { class: t.id === this.active ? 'active' : '', role: 'tab' },
        h('button.tablabel', { text: t.title, onclick: () => this.select(t.id) }),
        h('button.icon', { title: 'Close', text: '✕', onclick: () => this.close(t.id) })));
    }
  }
}
