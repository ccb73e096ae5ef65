// Floating IPs: allocate from an external network, associate to a port of an instance,
// disassociate, release. Rows follow floatingip.update.end events.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

export async function render(app, { session }) {
  const box = h('div', { id: 'fips-table' }, t('loading'));
  const allocate = button(t('allocate'), () => allocateWizard(load), 'btn-primary');
  allocate.id = 'allocate-fip';
  app.append(pageHeader(t('floating_ips'), allocate, button(t('refresh'), () => load())), box);
  const columns = [
    { key: 'floating_ip_address', label: t('address') },
    { key: 'fixed_ip_address', label: 'Fixed IP', render: (f) => f.fixed_ip_address || '' },
    { key: 'port_id', label: t('port'), render: (f) => f.port_id || '' },
    { key: 'status', label: t('status'), render: (f) => badge(f.status) },
    { key: 'actions', label: t('actions'), render: (f) => h('div', { class: 'd-flex flex-wrap gap-1' },
      f.port_id
        ? button(t('disassociate'), () => guarded(async () => {
          await svc('network', 'PUT', `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: null } });
          await load();
        }))
        : button(t('associate'), () => associateWizard(f, load)),
      button(t('release'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: f.floating_ip_address }))) return;
        await svc('network', 'DELETE', `/v2.0/floatingips/${f.id}`);
        showInfo(`${t('release')}: ${f.floating_ip_address}`);
        await load();
      }), 'btn-outline-danger')) },
  ];
  async function load() {
    const res = await guarded(() => svc('network', 'GET', `/v2.0/floatingips?project_id=${encodeURIComponent(session.project.id)}`));
    if (!res) return;
    box.replaceChildren(table(columns, res.floatingips, { id: 'floating-ips', rowId: (f) => f.id }));
  }
  await load();
  return {
    onEvent(type) {
      if (type.startsWith('floatingip.')) load();
    },
  };
}

async function allocateWizard(reload) {
  const nets = await guarded(() => svc('network', 'GET', '/v2.0/networks?router:external=true'));
  if (!nets) return;
  formModal(t('allocate'), [
    { name: 'network', label: t('external_network'), type: 'select',
      options: nets.networks.map((n) => ({ value: n.id, label: n.name || n.id })) },
  ], async (v) => {
    const { floatingip } = await svc('network', 'POST', '/v2.0/floatingips', { floatingip: { floating_network_id: v.network } });
    showInfo(`${t('allocate')}: ${floatingip.floating_ip_address}`);
    await reload();
  }, { submitLabel: t('allocate') });
}

async function associateWizard(fip, reload) {
  const [ports, servers] = await Promise.all([
    guarded(() => svc('network', 'GET', '/v2.0/ports')),
    svc('compute', 'GET', '/servers').then((r) => r.servers).catch(() => []),
  ]);
  if (!ports) return;
  const names = new Map(servers.map((s) => [s.id, s.name]));
  // Instance ports first; then other ports of the project that are not the network's own.
  const candidates = ports.ports.filter((p) => !(p.device_owner || '').startsWith('network:'))
    .sort((a, b) => (names.has(b.device_id) ? 1 : 0) - (names.has(a.device_id) ? 1 : 0));
  formModal(`${t('associate')}: ${fip.floating_ip_address}`, [
    { name: 'port', label: t('port'), type: 'select', options: candidates.map((p) => ({
      value: p.id,
      label: `${names.get(p.device_id) || p.name || p.id} · ${(p.fixed_ips || []).map((x) => x.ip_address).join(', ')}` })) },
  ], async (v) => {
    await svc('network', 'PUT', `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: v.port } });
    showInfo(`${t('associate')}: ${fip.floating_ip_address}`);
    await reload();
  }, { submitLabel: t('associate') });
}
