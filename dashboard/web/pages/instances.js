// Instances: list (filter, sort, limit/marker pagination), launch wizard, row actions,
// console log, resize with confirm/revert; rows follow compute.instance.* events without a
// reload.
import { query, svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table, tableRow } from '../ui.js';

const PAGE_SIZE = 20;

function ips(server) {
  const out = [];
  for (const [net, addrs] of Object.entries(server.addresses || {})) {
    for (const a of addrs) out.push(`${a.addr}${a['OS-EXT-IPS:type'] === 'floating' ? ' (floating)' : ''} · ${net}`);
  }
  return out.join(', ');
}

export async function render(app) {
  const view = { filter: '', sortKey: 'created_at', sortDir: 'desc', markers: [], next: null, rows: new Map() };
  const tableBox = h('div', { id: 'instances-table' }, t('loading'));
  const filter = h('input', { class: 'form-control', id: 'instances-filter', type: 'search', placeholder: t('filter') });
  const sortSelect = h('select', { class: 'form-select', id: 'instances-sort' },
    [['created_at', t('created')], ['display_name', t('name')], ['vm_state', t('status')]].map(([v, l]) =>
      h('option', { value: v, selected: v === view.sortKey }, l)));
  const prev = button(t('previous'), () => { view.markers.pop(); load(); });
  const next = button(t('next'), () => { view.markers.push(view.next); load(); });
  prev.id = 'instances-prev';
  next.id = 'instances-next';
  const launch = button(t('launch'), () => launchWizard(load), 'btn-primary');
  launch.id = 'launch-instance';
  app.append(pageHeader(t('instances'), launch, button(t('refresh'), () => load())),
    h('div', { class: 'row g-2 mb-2' },
      h('div', { class: 'col-12 col-md-6' }, h('label', { class: 'visually-hidden', for: 'instances-filter' }, t('filter')), filter),
      h('div', { class: 'col-8 col-md-3' }, h('label', { class: 'visually-hidden', for: 'instances-sort' }, 'Sort'), sortSelect),
      h('div', { class: 'col-4 col-md-3 d-flex gap-2 justify-content-end' }, prev, next)),
    tableBox);

  let debounce;
  filter.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { view.filter = filter.value.trim(); view.markers = []; load(); }, 250);
  });
  sortSelect.addEventListener('change', () => {
    view.sortKey = sortSelect.value;
    view.sortDir = view.sortKey === 'created_at' ? 'desc' : 'asc';
    view.markers = [];
    load();
  });

  const columns = [
    { key: 'name', label: t('name'), render: (s) => s.name },
    { key: 'status', label: t('status'), render: (s) => h('span', {}, badge(s.status),
      s.fault && s.fault.message ? h('div', { class: 'small text-danger' }, s.fault.message) : '') },
    { key: 'task', label: t('task'), render: (s) => s['OS-EXT-STS:task_state'] || '' },
    { key: 'power', label: t('power'), render: (s) => ['NOSTATE', 'Running', '', 'Paused', 'Shutdown', '', 'Crashed', 'Suspended'][s['OS-EXT-STS:power_state']] ?? '' },
    { key: 'ips', label: t('ips'), render: ips },
    { key: 'actions', label: t('actions'), render: (s) => actions(s) },
  ];
  const rowId = (s) => s.id;

  function actions(s) {
    const act = (label, body) => button(label, () => guarded(async () => {
      await svc('compute', 'POST', `/servers/${s.id}/action`, body);
      showInfo(`${label}: ${s.name}`);
    }));
    if (s.status === 'VERIFY_RESIZE') {
      return h('div', { class: 'd-flex flex-wrap gap-1' },
        act(t('confirm_resize'), { confirmResize: null }), act(t('revert_resize'), { revertResize: null }));
    }
    return h('div', { class: 'd-flex flex-wrap gap-1' },
      act(t('start'), { 'os-start': null }),
      act(t('stop'), { 'os-stop': null }),
      act(t('reboot'), { reboot: { type: 'SOFT' } }),
      button(t('resize'), () => resizeWizard(s)),
      button(t('console'), () => consoleLog(s)),
      button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: s.name }))) return;
        await svc('compute', 'DELETE', `/servers/${s.id}`);
        showInfo(`${t('delete')}: ${s.name}`);
      }), 'btn-outline-danger'));
  }

  async function load() {
    const marker = view.markers[view.markers.length - 1];
    const started = performance.now();
    const res = await guarded(() => svc('compute', 'GET', `/servers/detail${query({
      limit: PAGE_SIZE, marker, name: view.filter, sort_key: view.sortKey, sort_dir: view.sortDir })}`));
    if (!res) return;
    view.rows = new Map(res.servers.map((s) => [s.id, s]));
    view.next = res.servers.length === PAGE_SIZE ? res.servers[res.servers.length - 1].id : null;
    tableBox.replaceChildren(table(columns, res.servers, { id: 'instances', rowId }));
    prev.disabled = view.markers.length === 0;
    next.disabled = !view.next;
    window.__instancesRenderMs = performance.now() - started;
  }

  // Re-fetches one instance and replaces (or removes) its row.
  async function refreshOne(id) {
    const tbody = document.querySelector('#instances tbody');
    if (!tbody) return;
    let server = null;
    try {
      server = (await svc('compute', 'GET', `/servers/${id}`)).server;
    } catch (e) {
      if (e.status !== 404) return;
    }
    const old = tbody.querySelector(`tr[data-id="${CSS.escape(id)}"]`);
    if (!server || server.status === 'DELETED') {
      if (old) old.remove();
      view.rows.delete(id);
      return;
    }
    const row = tableRow(columns, server, rowId);
    if (old) old.replaceWith(row); else if (view.markers.length === 0) tbody.prepend(row);
    view.rows.set(id, server);
  }

  await load();
  return {
    onEvent(type, payload) {
      if (type.startsWith('compute.instance.') && payload.instance_id) refreshOne(payload.instance_id);
      else if (type.startsWith('floatingip.') || type.startsWith('port.')) {
        if (payload.device_id && view.rows.has(payload.device_id)) refreshOne(payload.device_id);
      }
    },
  };
}

async function consoleLog(server) {
  const out = await guarded(() => svc('compute', 'POST', `/servers/${server.id}/action`, { 'os-getConsoleOutput': { length: 200 } }));
  if (!out) return;
  const id = 'console-modal';
  document.getElementById(id)?.remove();
  const dialog = h('div', { class: 'modal fade', id, tabindex: '-1', 'aria-labelledby': `${id}-title` },
    h('div', { class: 'modal-dialog modal-xl modal-dialog-scrollable' }, h('div', { class: 'modal-content' },
      h('div', { class: 'modal-header' }, h('h2', { class: 'modal-title h5', id: `${id}-title` }, `${t('console')}: ${server.name}`),
        h('button', { type: 'button', class: 'btn-close', 'data-bs-dismiss': 'modal', 'aria-label': 'Close' })),
      h('div', { class: 'modal-body' }, h('pre', { class: 'console-log', id: 'console-output' }, out.output || '')))));
  document.body.append(dialog);
  dialog.addEventListener('hidden.bs.modal', () => dialog.remove());
  new window.bootstrap.Modal(dialog).show();
}

async function launchWizard(reload) {
  const [images, flavors, networks, keypairs, groups] = await Promise.all([
    svc('image', 'GET', '/v2/images?limit=200').then((r) => r.images).catch(() => []),
    svc('compute', 'GET', '/flavors/detail').then((r) => r.flavors).catch(() => []),
    svc('network', 'GET', '/v2.0/networks').then((r) => r.networks).catch(() => []),
    svc('compute', 'GET', '/os-keypairs').then((r) => r.keypairs.map((k) => k.keypair)).catch(() => []),
    svc('network', 'GET', '/v2.0/security-groups').then((r) => r.security_groups).catch(() => []),
  ]);
  const opt = (list, label) => list.map((x) => ({ value: x.id ?? x.name, label: label(x) }));
  formModal(t('launch'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'image', label: t('image'), type: 'select', options: opt(images.filter((i) => i.status === 'active'), (i) => i.name || i.id) },
    { name: 'flavor', label: t('flavor'), type: 'select', options: opt(flavors, (f) => `${f.name} (${f.vcpus} vCPU, ${f.ram} MiB)`) },
    { name: 'network', label: t('network'), type: 'select',
      options: [{ value: '', label: t('none') }, ...opt(networks.filter((n) => !n['router:external']), (n) => n.name || n.id)] },
    { name: 'key_name', label: t('key_pair'), type: 'select', options: [{ value: '', label: t('none') }, ...keypairs.map((k) => ({ value: k.name, label: k.name }))] },
    { name: 'security_groups', label: t('security_groups'), type: 'checks',
      options: groups.map((g) => ({ value: g.name, label: g.name, checked: g.name === 'default' })) },
    { name: 'user_data', label: t('user_data'), type: 'textarea' },
    { name: 'count', label: t('count'), type: 'number', value: '1', min: 1, max: 100 },
  ], async (v) => {
    const count = Math.max(1, parseInt(v.count, 10) || 1);
    const server = { name: v.name, imageRef: v.image, flavorRef: v.flavor, min_count: count, max_count: count,
    };
    if (v.network) server.networks = [{ uuid: v.network }];
    if (v.key_name) server.key_name = v.key_name;
    if (v.security_groups.length && v.network) server.security_groups = v.security_groups.map((name) => ({ name }));
    if (v.user_data) server.user_data = btoa(unescape(encodeURIComponent(v.user_data)));
    await svc('compute', 'POST', '/servers', { server });
    showInfo(`${t('launch')}: ${v.name}`);
    await reload();
  }, { submitLabel: t('launch') });
}

async function resizeWizard(server) {
  const flavors = await guarded(() => svc('compute', 'GET', '/flavors/detail'));
  if (!flavors) return;
  const current = server.flavor && (server.flavor.id || server.flavor.original_name);
  formModal(`${t('resize')}: ${server.name}`, [
    { name: 'flavor', label: t('flavor'), type: 'select',
      options: flavors.flavors.filter((f) => f.id !== current && f.name !== current)
        .map((f) => ({ value: f.id, label: `${f.name} (${f.vcpus} vCPU, ${f.ram} MiB)` })) },
  ], async (v) => {
    await svc('compute', 'POST', `/servers/${server.id}/action`, { resize: { flavorRef: v.flavor } });
    showInfo(`${t('resize')}: ${server.name}`);
  }, { submitLabel: t('resize') });
}
