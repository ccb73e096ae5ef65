// Admin: hypervisors and compute services. The navbar shows it only to admins; the
// services' own policy answers 403 to anyone else.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, guarded, h, pageHeader, table } from '../ui.js';

export async function render(app) {
  const hyp = h('div', { id: 'hypervisors-table' }, t('loading'));
  const services = h('div', { id: 'services-table' }, t('loading'));
  app.append(pageHeader(t('admin')), h('h2', { class: 'h5' }, t('hypervisors')), hyp,
    h('h2', { class: 'h5 mt-4' }, t('compute_services')), services);
  const [hs, ss] = await Promise.all([
    guarded(() => svc('compute', 'GET', '/os-hypervisors/detail')),
    guarded(() => svc('compute', 'GET', '/os-services')),
  ]);
  if (hs) {
    hyp.replaceChildren(table([
      { key: 'hypervisor_hostname', label: t('host') },
      { key: 'state', label: t('state'), render: (x) => badge(x.state) },
      { key: 'status', label: t('status') },
      { key: 'vcpus', label: t('vcpus'), render: (x) => (x.vcpus !== undefined ? `${x.vcpus_used ?? '?'} / ${x.vcpus}` : '') },
      { key: 'memory', label: t('ram'), render: (x) => (x.memory_mb !== undefined ? `${x.memory_mb_used ?? '?'} / ${x.memory_mb}` : '') },
      { key: 'running_vms', label: t('instances'), render: (x) => x.running_vms ?? '' },
    ], hs.hypervisors, { id: 'hypervisors' }));
  }
  if (ss) {
    services.replaceChildren(table([
      { key: 'binary', label: 'Binary' },
      { key: 'host', label: t('host') },
      { key: 'zone', label: 'Zone' },
      { key: 'status', label: t('status') },
      { key: 'state', label: t('state'), render: (x) => badge(x.state) },
    ], ss.services, { id: 'compute-services' }));
  }
  return {};
}
