// Networks: the project's networks with their subnets; create (network + subnet), delete.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

export async function render(app, { session }) {
  const box = h('div', { id: 'networks-table' }, t('loading'));
  const create = button(t('create_network'), () => createWizard(load), 'btn-primary');
  create.id = 'create-network';
  app.append(pageHeader(t('networks'), create, button(t('refresh'), () => load())), box);
  let subnets = new Map();
  const columns = [
    { key: 'name', label: t('name'), render: (n) => n.name || n.id },
    { key: 'subnets', label: t('subnet'), render: (n) => (n.subnets || []).map((id) => {
      const s = subnets.get(id);
      return s ? `${s.name || ''} ${s.cidr}`.trim() : id;
    }).join(', ') },
    { key: 'status', label: t('status'), render: (n) => badge(n.status) },
    { key: 'external', label: t('external_network'), render: (n) => (n['router:external'] ? '✓' : '') },
    { key: 'actions', label: t('actions'), render: (n) => (n.project_id === session.project.id
      ? button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: n.name || n.id }))) return;
        for (const id of n.subnets || []) await svc('network', 'DELETE', `/v2.0/subnets/${id}`);
        await svc('network', 'DELETE', `/v2.0/networks/${n.id}`);
        showInfo(`${t('delete')}: ${n.name}`);
        await load();
      }), 'btn-outline-danger') : '') },
  ];
  async function load() {
    const [nets, subs] = await Promise.all([
      guarded(() => svc('network', 'GET', '/v2.0/networks')),
      guarded(() => svc('network', 'GET', '/v2.0/subnets')),
    ]);
    if (!nets) return;
    subnets = new Map((subs ? subs.subnets : []).map((s) => [s.id, s]));
    box.replaceChildren(table(columns, nets.networks, { id: 'networks', rowId: (n) => n.id }));
  }
  await load();
  return {};
}

function createWizard(reload) {
  formModal(t('create_network'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'subnet_name', label: `${t('subnet')} ${t('name')}` },
    { name: 'cidr', label: t('cidr'), value: '10.20.0.0/24', required: true },
  ], async (v) => {
    const { network } = await svc('network', 'POST', '/v2.0/networks', { network: { name: v.name } });
    try {
      await svc('network', 'POST', '/v2.0/subnets', { subnet: {
        network_id: network.id, name: v.subnet_name || `${v.name}-subnet`, cidr: v.cidr, ip_version: 4 } });
    } catch (e) {
      await svc('network', 'DELETE', `/v2.0/networks/${network.id}`).catch(() => {});
      throw e;
    }
    showInfo(`${t('create')}: ${v.name}`);
    await reload();
  });
}
