import './style.css';
import { api, ApiError, type Me } from './api';
import { h, clear } from './dom';

const root = document.getElementById('root')!;

async function boot() {
  try {
    const me = await api.me();
    await startApp(me);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) showLogin();
    else showLogin(e instanceof Error ? `The server did not answer: ${e.message}` : undefined);
  }
}

async function startApp(me: Me) {
  clear(root);
  const { App } = await import('./app');
  new App(root, me, () => showLogin());
}

export function showLogin(message?: string) {
  clear(root);
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true, 'aria-label': 'User name' }) as HTMLInputElement;
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'aria-label': 'Password' }) as HTMLInputElement;
  const err = h('p.error', { role: 'alert', text: message ?? '' });
  const button = h('button.primary', { type: 'submit', text: 'Sign in' }) as HTMLButtonElement;
  const form = h('form.login', {
    onsubmit: async (ev: Event) => {
      ev.preventDefault();
      button.disabled = true; err.textContent = '';
      try {
        await api.login(user.value, pass.value);
        const me = await api.me();
        await startApp(me);
      } catch (e) {
        const status = e instanceof ApiError ? e.status : 0;
        err.textContent = status === 401 ? 'Wrong user name or password.'
          : status === 423 ? 'This account is locked for a while after too many failed sign-ins.'
          : status === 429 ? 'Too many sign-in attempts from here; wait a minute.'
          : e instanceof Error ? e.message : String(e);
        button.disabled = false;
      }
    },
  },
  h('h1', {}, h('span.logo', { text: '◈' }), ' Portolan'),
  h('p.muted', { text: 'Live map of your hosts, containers and processes.' }),
  h('label', {}, 'User name', user), h('label', {}, 'Password', pass), button, err);
  root.append(h('div.login-page', {}, form));
  user.focus();
}

boot();
