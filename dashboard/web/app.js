// The page shell: session, navbar (project switcher, language, logout), hash routing, and
// the one event stream whose events go to the page on screen.
import { request, setCsrfToken } from './api.js';
import { remember } from './events.js';
import { applyStatic, getLang, setLang, t } from './i18n.js';
import { clearAlerts, guarded, h, showError } from './ui.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as instances from './pages/instances.js';
import * as images from './pages/images.js';
import * as networks from './pages/networks.js';
import * as floatingIps from './pages/floating_ips.js';
import * as routers from './pages/routers.js';
import * as securityGroups from './pages/security_groups.js';
import * as volumes from './pages/volumes.js';
import * as admin from './pages/admin.js';
import * as keypairs from './pages/keypairs.js';
import * as topology from './pages/topology.js';
import * as containers from './pages/containers.js';
import * as identityAdmin from './pages/identity_admin.js';
import * as account from './pages/account.js';

const pages = [
  { path: 'overview', label: 'overview', page: overview },
  { path: 'instances', label: 'instances', page: instances },
  { path: 'images', label: 'images', page: images },
  { path: 'networks', label: 'networks', page: networks },
  { path: 'routers', label: 'routers', page: routers },
  { path: 'floating-ips', label: 'floating_ips', page: floatingIps },
  { path: 'security-groups', label: 'security_groups', page: securityGroups },
  { path: 'topology', label: 'topology', page: topology },
  { path: 'volumes', label: 'volumes', page: volumes, when: (s) => hasVolumes(s) },
  { path: 'containers', label: 'object_storage', page: containers },
  { path: 'keypairs', label: 'key_pairs', page: keypairs },
  { path: 'admin', label: 'admin', page: admin, when: (s) => s.is_admin },
  { path: 'identity-admin', label: 'identity_admin', page: identityAdmin, when: (s) => s.is_admin },
  // In the user menu (index.html's #nav-account), not in the navbar's links.
  { path: 'account', label: 'account', page: account, menu: true },
];

export function hasVolumes(s) { return s.services.includes('volumev3') || s.services.includes('block-storage'); }

const state = { session: null, current: null, events: null };

async function loadSession() {
  try {
    state.session = await request('GET', '/api/session');
    setCsrfToken(state.session.csrf_token);
  } catch (e) {
    state.session = null;
    if (e.status !== 401) showError(e);
  }
  return state.session;
}

function renderNavbar() {
  const s = state.session;
  document.getElementById('navbar').hidden = !s;
  if (!s) return;
  const links = document.getElementById('nav-links');
  links.replaceChildren(...pages.filter((p) => !p.menu && (!p.when || p.when(s))).map((p) =>
    h('li', { class: 'nav-item' }, h('a', { class: 'nav-link', href: `#/${p.path}`, id: `nav-${p.path}` }, t(p.label)))));
  const switcher = document.getElementById('project-switcher');
  switcher.replaceChildren(...s.projects.map((p) => h('option', { value: p.id, selected: p.id === s.project.id }, p.name)));
  switcher.value = s.project.id;
  document.getElementById('user-name').textContent = s.user.name;
  markActive();
}

function markActive() {
  const path = currentPath();
  for (const a of document.querySelectorAll('#nav-links .nav-link, #nav-account')) {
    const active = a.getAttribute('href') === `#/${path}`;
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function currentPath() { return (location.hash.replace(/^#\/?/, '').split('?')[0]) || 'overview'; }

// One EventSource per loaded page: events go to whichever page is on screen.
function openEvents() {
  if (state.events) state.events.close();
  if (!state.session || !state.session.project.id) return;
  const source = new EventSource('/api/events');
  const forward = (e) => {
    let payload = {};
    try { payload = JSON.parse(e.data); } catch (err) { return; }
    window.__gureumEvents = (window.__gureumEvents || 0) + 1;
    remember(e.type, payload);
    if (state.current && state.current.onEvent) state.current.onEvent(e.type, payload);
  };
  // The event types the services send (SSE needs a listener per type).
  const types = ['compute.instance.create.start', 'compute.instance.update', 'compute.instance.delete.end',
    'port.create.end', 'port.update.end', 'port.delete.end',
    'floatingip.create.end', 'floatingip.update.end', 'floatingip.delete.end',
    ...['create', 'delete', 'attach', 'detach', 'resize', 'upload_image'].flatMap((v) =>
      ['start', 'end', 'error'].map((p) => `volume.${v}.${p}`)),
    'volume.update', 'volume.retype'];
  for (const type of types) {
    source.addEventListener(type, forward);
  }
  source.addEventListener('error', async () => {
    // The stream ends at logout or the idle timeout: check the session once.
    if (source.readyState === EventSource.CLOSED && !(await loadSession())) route();
  });
  state.events = source;
}

async function route() {
  if (state.current && state.current.dispose) state.current.dispose();
  state.current = null;
  clearAlerts();
  const app = document.getElementById('app');
  app.replaceChildren();
  if (!state.session) {
    renderNavbar();
    state.current = await login.render(app, { onLogin });
    return;
  }
  const path = currentPath();
  const entry = pages.find((p) => p.path === path && (!p.when || p.when(state.session)));
  markActive();
  if (!entry) {
    location.hash = '#/overview';
    return;
  }
  document.title = `${t(entry.label)} · Gureum`;
  state.current = (await guarded(() => entry.page.render(app, { session: state.session, onSessionEnded: logout }))) || null;
  document.getElementById('main').focus({ preventScroll: true });
}

async function onLogin(session) {
  state.session = session;
  setCsrfToken(session.csrf_token);
  renderNavbar();
  openEvents();
  if (!location.hash || location.hash === '#/login') location.hash = '#/overview';
  else route();
}

async function logout() {
  await guarded(() => request('POST', '/api/logout'));
  if (state.events) state.events.close();
  state.session = null;
  setCsrfToken('');
  location.hash = '#/login';
  route();
}

async function switchProject(e) {
  // One switch at a time: the switcher is drawn again when the answer comes.
  const switcher = document.getElementById('project-switcher');
  switcher.disabled = true;
  const next = await guarded(() => request('POST', '/api/session/project', { project_id: e.target.value }));
  switcher.disabled = false;
  if (!next) {
    renderNavbar();  // back to the project the session is in
    return;
  }
  state.session = next;
  setCsrfToken(next.csrf_token);
  renderNavbar();
  openEvents();
  route();
}

// The user menu: opens on its button, closes on Escape or a click elsewhere.
function userMenu() {
  const toggle = document.getElementById('user-menu');
  const menu = document.getElementById('user-menu-items');
  const set = (open) => {
    menu.classList.toggle('show', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', (e) => {
    e.stopPropagation();
    set(!menu.classList.contains('show'));
    if (menu.classList.contains('show')) menu.querySelector('a, button').focus();
  });
  document.addEventListener('click', () => set(false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.classList.contains('show')) {
      set(false);
      toggle.focus();
    }
  });
}

async function main() {
  userMenu();
  const langSelect = document.getElementById('lang-switcher');
  langSelect.value = getLang();
  setLang(getLang());
  langSelect.addEventListener('change', () => {
    setLang(langSelect.value);
    renderNavbar();
    route();
  });
  document.getElementById('logout').addEventListener('click', logout);
  document.getElementById('project-switcher').addEventListener('change', switchProject);
  window.addEventListener('hashchange', route);
  await loadSession();
  renderNavbar();
  applyStatic();
  openEvents();
  await route();
}

main();
