// Routers: create (with an external gateway), add and remove subnet interfaces, delete.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

export async function render(app) {
  const box = h('div', { id: 'routers-table' }, t('loading'));
  const create = button(t('create_router'), () => createWizard(load), 'btn-primary');
  create.id = 'create-router';
  app.append(pageHeader(t('routers'), create, button(t('refresh'), () => load())), box);
  let networks = new Map();
  let subnets = new Map();
  let interfaces = new Map();  // router id -> [subnet id]
  const columns = [
    { key: 'name', label: t('name'), render: (r) => r.name || r.id },
    { key: 'gateway', label: t('external_network'), render: (r) => {
      const id = r.external_gateway_info && r.external_gateway_info.network_id;
      return id ? (networks.get(id)?.name || id) : '';
    } },
    { key: 'interfaces', label: t('subnet'), render: (r) => (interfaces.get(r.id) || [])
      .map((id) => subnets.get(id)?.cidr || id).join(', ') },
    { key: 'status', label: t('status'), render: (r) => badge(r.status) },
    { key: 'actions', label: t('actions'), render: (r) => h('div', { class: 'd-flex flex-wrap gap-1' },
      button(t('add_interface'), () => interfaceWizard(r, [...subnets.values()], 'add', load)),
      (interfaces.get(r.id) || []).length
        ? button(t('remove_interface'), () => interfaceWizard(r,
          (interfaces.get(r.id) || []).map((id) => subnets.get(id) || { id, cidr: id }), 'remove', load))
        : '',
      button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: r.name || r.id }))) return;
        await svc('network', 'DELETE', `/v2.0/routers/${r.id}`);
        await load();
      }), 'btn-outline-danger')) },
  ];
  async function load() {
    const [routers, nets, subs, ports] = await Promise.all([
      guarded(() => svc('network', 'GET', '/v2.0/routers')),
      svc('network', 'GET', '/v2.0/networks').catch(() => ({ networks: [] })),
      svc('network', 'GET', '/v2.0/subnets').catch(() => ({ subnets: [] })),
      svc('network', 'GET', '/v2.0/ports?device_owner=network:router_interface').catch(() => ({ ports: [] })),
    ]);
    if (!routers) return;
    networks = new Map(nets.networks.map((n) => [n.id, n]));
    subnets = new Map(subs.subnets.map((s) => [s.id, s]));
    interfaces = new Map();
    for (const p of ports.ports) {
      for (const ip of p.fixed_ips || []) {
        interfaces.set(p.device_id, [...(interfaces.get(p.device_id) || []), ip.subnet_id]);
      }
    }
    box.replaceChildren(table(columns, routers.routers, { id: 'routers', rowId: (r) => r.id }));
  }
  await load();
  return {};
}

async function createWizard(reload) {
  const nets = await guarded(() => svc('network', 'GET', '/v2.0/networks?router:external=true'));
  if (!nets) return;
  formModal(t('create_router'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'network', label: t('external_network'), type: 'select',
      options: [{ value: '', label: t('none') }, ...nets.networks.map((n) => ({ value: n.id, label: n.name || n.id }))] },
  ], async (v) => {
    const router = { name: v.name };
    if (v.network) router.external_gateway_info = { network_id: v.network };
    await svc('network', 'POST', '/v2.0/routers', { router });
    showInfo(`${t('create')}: ${v.name}`);
    await reload();
  });
}

function interfaceWizard(router, subnets, verb, reload) {
  const label = verb === 'add' ? t('add_interface') : t('remove_interface');
  formModal(`${label}: ${router.name || router.id}`, [
    { name: 'subnet', label: t('subnet'), type: 'select',
      options: subnets.map((s) => ({ value: s.id, label: `${s.name || s.id} ${s.cidr}`.trim() })) },
  ], async (v) => {
    await svc('network', 'PUT', `/v2.0/routers/${router.id}/${verb}_router_interface`, { subnet_id: v.subnet });
    await reload();
  }, { submitLabel: label });
}
