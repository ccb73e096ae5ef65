// Admin: hypervisors, compute services (enable/disable), network agents (enable/disable),
// flavors (create, delete) and the instances of every project. The navbar shows it only to
// admins; the services' own policy answers 403 to anyone else.
import { query, svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

const SECTIONS = [
  ['hypervisors', loadHypervisors],
  ['compute_services', loadServices],
  ['network_agents', loadAgents],
  ['flavors', loadFlavors],
  ['all_instances', loadInstances],
];

export async function render(app) {
  app.append(pageHeader(t('admin')));
  const boxes = SECTIONS.map(([title, load]) => {
    const box = h('div', { id: `${title.replace('_', '-')}-section` }, t('loading'));
    app.append(h('h2', { class: 'h5 mt-4' }, t(title)), box);
    return [box, load];
  });
  await Promise.all(boxes.map(([box, load]) => load(box)));
  return {};
}

async function loadHypervisors(box) {
  const hs = await guarded(() => svc('compute', 'GET', '/os-hypervisors/detail'));
  if (!hs) return;
  box.replaceChildren(table([
    { key: 'hypervisor_hostname', label: t('host') },
    { key: 'state', label: t('state'), render: (x) => badge(x.state) },
    { key: 'status', label: t('status') },
    { key: 'vcpus', label: t('vcpus'), render: (x) => (x.vcpus !== undefined ? `${x.vcpus_used ?? '?'} / ${x.vcpus}` : '') },
    { key: 'memory', label: t('ram'), render: (x) => (x.memory_mb !== undefined ? `${x.memory_mb_used ?? '?'} / ${x.memory_mb}` : '') },
    { key: 'running_vms', label: t('instances'), render: (x) => x.running_vms ?? '' },
  ], hs.hypervisors, { id: 'hypervisors' }));
}

// Compute-api offers microversion 2.15, so enable/disable use the pre-2.53 forms:
// PUT /os-services/{enable,disable} with {host, binary}.
async function loadServices(box) {
  const ss = await guarded(() => svc('compute', 'GET', '/os-services'));
  if (!ss) return;
  const toggle = (x) => guarded(async () => {
    const verb = x.status === 'enabled' ? 'disable' : 'enable';
    await svc('compute', 'PUT', `/os-services/${verb}`, { host: x.host, binary: x.binary });
    await loadServices(box);
  });
  box.replaceChildren(table([
    { key: 'binary', label: t('binary') },
    { key: 'host', label: t('host') },
    { key: 'zone', label: t('zone') },
    { key: 'status', label: t('status') },
    { key: 'state', label: t('state'), render: (x) => badge(x.state) },
    { key: 'actions', label: t('actions'),
      render: (x) => button(x.status === 'enabled' ? t('disable') : t('enable'), () => toggle(x)) },
  ], ss.services, { id: 'compute-services' }));
}

async function loadAgents(box) {
  const res = await guarded(() => svc('network', 'GET', '/v2.0/agents'));
  if (!res) return;
  const toggle = (a) => guarded(async () => {
    await svc('network', 'PUT', `/v2.0/agents/${a.id}`, { agent: { admin_state_up: !a.admin_state_up } });
    await loadAgents(box);
  });
  box.replaceChildren(table([
    { key: 'host', label: t('host') },
    { key: 'agent_type', label: t('agent_type') },
    { key: 'alive', label: t('alive'), render: (a) => badge(a.alive ? 'up' : 'down') },
    { key: 'admin_state_up', label: t('admin_state'), render: (a) => (a.admin_state_up ? t('enabled') : t('disabled')) },
    { key: 'actions', label: t('actions'),
      render: (a) => button(a.admin_state_up ? t('disable') : t('enable'), () => toggle(a)) },
  ], res.agents, { id: 'network-agents', rowId: (a) => a.id }));
}

async function loadFlavors(box) {
  const res = await guarded(() => svc('compute', 'GET', `/flavors/detail${query({ is_public: 'None' })}`));
  if (!res) return;
  const create = button(t('create_flavor'), () => createFlavor(() => loadFlavors(box)), 'btn-primary');
  create.id = 'create-flavor';
  box.replaceChildren(h('div', { class: 'mb-2' }, create), table([
    { key: 'name', label: t('name') },
    { key: 'vcpus', label: t('vcpus') },
    { key: 'ram', label: t('ram') },
    { key: 'disk', label: t('disk') },
    { key: 'public', label: t('visibility'),
      render: (f) => (f['os-flavor-access:is_public'] === false ? t('private') : t('public')) },
    { key: 'actions', label: t('actions'), render: (f) => button(t('delete'), () => guarded(async () => {
      if (!confirmAction(t('confirm_delete', { name: f.name }))) return;
      await svc('compute', 'DELETE', `/flavors/${f.id}`);
      await loadFlavors(box);
    }), 'btn-outline-danger') },
  ], res.flavors, { id: 'flavors', rowId: (f) => f.id }));
}

function createFlavor(reload) {
  formModal(t('create_flavor'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'vcpus', label: t('vcpus'), type: 'number', value: '1', min: 1 },
    { name: 'ram', label: t('ram'), type: 'number', value: '512', min: 1 },
    { name: 'disk', label: t('disk'), type: 'number', value: '1', min: 0 },
  ], async (v) => {
    const flavor = { name: v.name, vcpus: parseInt(v.vcpus, 10), ram: parseInt(v.ram, 10), disk: parseInt(v.disk, 10) };
    await svc('compute', 'POST', '/flavors', { flavor });
    showInfo(`${t('create')}: ${v.name}`);
    await reload();
  });
}

// Every project's instances; the project column names the project when identity lists it.
async function loadInstances(box) {
  const [res, projects] = await Promise.all([
    guarded(() => svc('compute', 'GET', `/servers/detail${query({ all_tenants: '1' })}`)),
    svc('identity', 'GET', '/projects').then((r) => r.projects).catch(() => []),
  ]);
  if (!res) return;
  const names = new Map(projects.map((p) => [p.id, p.name]));
  box.replaceChildren(table([
    { key: 'name', label: t('name') },
    { key: 'project', label: t('project'), render: (s) => names.get(s.tenant_id) || s.tenant_id },
    { key: 'status', label: t('status'), render: (s) => badge(s.status) },
    { key: 'host', label: t('host'), render: (s) => s['OS-EXT-SRV-ATTR:host'] || '' },
    { key: 'id', label: 'ID' },
  ], res.servers, { id: 'all-instances', rowId: (s) => s.id }));
}
