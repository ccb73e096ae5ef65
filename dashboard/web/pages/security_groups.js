// Security groups: create, delete, and their rules (add, delete).
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

function ruleText(r) {
  const ports = r.port_range_min ? (r.port_range_min === r.port_range_max ? `${r.port_range_min}` : `${r.port_range_min}-${r.port_range_max}`) : '';
  const from = r.remote_ip_prefix || (r.remote_group_id ? `group ${r.remote_group_id.slice(0, 8)}` : 'any');
  return `${r.direction} ${r.ethertype} ${r.protocol || 'any'}${ports ? ` ${ports}` : ''} ${r.direction === 'ingress' ? 'from' : 'to'} ${from}`;
}

export async function render(app) {
  const box = h('div', { id: 'security-groups-table' }, t('loading'));
  const create = button(t('create'), () => createWizard(load), 'btn-primary');
  create.id = 'create-security-group';
  app.append(pageHeader(t('security_groups'), create, button(t('refresh'), () => load())), box);
  const columns = [
    { key: 'name', label: t('name') },
    { key: 'rules', label: t('rules'), render: (g) => h('ul', { class: 'list-unstyled m-0' },
      (g.security_group_rules || []).map((r) => h('li', { class: 'd-flex gap-2 align-items-center mb-1' },
        h('span', { class: 'small' }, ruleText(r)),
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger py-0', 'aria-label': `${t('delete')}: ${ruleText(r)}`,
          onclick: () => guarded(async () => {
            await svc('network', 'DELETE', `/v2.0/security-group-rules/${r.id}`);
            await load();
          }) }, '×'))))
    },
    { key: 'actions', label: t('actions'), render: (g) => h('div', { class: 'd-flex flex-wrap gap-1' },
      button(t('add_rule'), () => ruleWizard(g, load)),
      g.name === 'default' ? '' : button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: g.name }))) return;
        await svc('network', 'DELETE', `/v2.0/security-groups/${g.id}`);
        await load();
      }), 'btn-outline-danger')) },
  ];
  async function load() {
    const res = await guarded(() => svc('network', 'GET', '/v2.0/security-groups'));
    if (!res) return;
    box.replaceChildren(table(columns, res.security_groups, { id: 'security-groups', rowId: (g) => g.id }));
  }
  await load();
  return {};
}

function createWizard(reload) {
  formModal(t('security_groups'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'description', label: t('description') },
  ], async (v) => {
    await svc('network', 'POST', '/v2.0/security-groups', { security_group: { name: v.name, description: v.description } });
    showInfo(`${t('create')}: ${v.name}`);
    await reload();
  });
}

function ruleWizard(group, reload) {
  formModal(`${t('add_rule')}: ${group.name}`, [
    { name: 'direction', label: t('direction'), type: 'select', value: 'ingress',
      options: [{ value: 'ingress', label: 'ingress' }, { value: 'egress', label: 'egress' }] },
    { name: 'protocol', label: t('protocol'), type: 'select', value: 'tcp',
      options: ['tcp', 'udp', 'icmp', ''].map((p) => ({ value: p, label: p || 'any' })) },
    { name: 'port_min', label: t('port_min'), type: 'number', min: 1, max: 65535 },
    { name: 'port_max', label: t('port_max'), type: 'number', min: 1, max: 65535 },
    { name: 'cidr', label: t('cidr'), value: '0.0.0.0/0' },
  ], async (v) => {
    const rule = { security_group_id: group.id, direction: v.direction, ethertype: 'IPv4' };
    if (v.protocol) rule.protocol = v.protocol;
    if (v.port_min) {
      rule.port_range_min = parseInt(v.port_min, 10);
      rule.port_range_max = parseInt(v.port_max || v.port_min, 10);
    }
    if (v.cidr) rule.remote_ip_prefix = v.cidr;
    await svc('network', 'POST', '/v2.0/security-group-rules', { security_group_rule: rule });
    await reload();
  }, { submitLabel: t('add_rule') });
}
