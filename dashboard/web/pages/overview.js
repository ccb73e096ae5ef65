// Overview: the project's quota usage (compute limits, network quotas) as doughnuts.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { h, pageHeader, showError } from '../ui.js';
import { recentEvents } from '../events.js';

function describe(ev) {
  const p = ev.payload;
  const what = p.display_name || p.instance_id || p.volume_id || p.port_id || p.floating_ip_address || p.floatingip_id || '';
  const state = p.state || p.status || '';
  return `${ev.at.toLocaleTimeString()}  ${ev.type}  ${what}${state ? ` → ${state}` : ''}`;
}

function doughnut(label, used, limit) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${label}: ${used} ${t('of')} ${limit < 0 ? '∞' : limit}` });
  const box = h('div', { class: 'col-6 col-md-3 col-xl-2 text-center mb-3' },
    h('div', { class: 'chart-box mx-auto' }, canvas),
    h('div', { class: 'small mt-1' }, h('strong', {}, label), h('br'), `${used} ${t('of')} ${limit < 0 ? '∞' : limit} ${t('used')}`));
  const free = limit < 0 ? Math.max(used, 1) : Math.max(limit - used, 0);
  if (window.Chart) {
    new window.Chart(canvas, {
      type: 'doughnut',
      data: { labels: [t('used'), ''], datasets: [{ data: [used, free], backgroundColor: ['#0d6efd', '#dee2e6'] }] },
      options: { plugins: { legend: { display: false }, tooltip: { enabled: true } }, animation: false },
    });
  }
  return box;
}

export async function render(app, { session }) {
  const charts = h('div', { class: 'row', id: 'quota-charts' });
  const activity = h('ul', { class: 'list-group small', id: 'recent-activity' });
  const showActivity = () => activity.replaceChildren(...(recentEvents.length
    ? recentEvents.slice(0, 15).map((ev) => h('li', { class: 'list-group-item font-monospace' }, describe(ev)))
    : [h('li', { class: 'list-group-item text-muted' }, t('no_activity'))]));
  showActivity();
  app.append(pageHeader(t('overview')), h('h2', { class: 'h5' }, `${t('quota_usage')}: ${session.project.name}`), charts,
    h('h2', { class: 'h5 mt-2' }, t('recent_activity')), activity);
  const [limits, netq] = await Promise.all([
    svc('compute', 'GET', '/limits').catch((e) => { showError(e); return null; }),
    session.services.includes('network')
      ? svc('network', 'GET', `/v2.0/quotas/${session.project.id}/details`).catch((e) => { showError(e); return null; })
      : null,
  ]);
  if (limits) {
    const a = limits.limits.absolute;
    charts.append(
      doughnut(t('instances'), a.totalInstancesUsed, a.maxTotalInstances),
      doughnut(t('vcpus'), a.totalCoresUsed, a.maxTotalCores),
      doughnut(t('ram'), a.totalRAMUsed, a.maxTotalRAMSize));
  }
  if (netq && netq.quota) {
    for (const [key, label] of [['floatingip', t('floating_ips')], ['network', t('networks')],
      ['security_group', t('security_groups')], ['port', t('ports')]]) {
      const q = netq.quota[key];
      if (q) charts.append(doughnut(label, q.used, q.limit));
    }
  }
  return { onEvent: showActivity };
}
