// Volumes (block storage): create, attach to / detach from an instance, delete. Hidden
// with a note when the catalog has no volumev3/block-storage service.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

function storageType(session) {
  return session.services.includes('volumev3') ? 'volumev3' : session.services.includes('block-storage') ? 'block-storage' : null;
}

export async function render(app, { session }) {
  const type = storageType(session);
  if (!type) {
    app.append(pageHeader(t('volumes')), h('div', { class: 'alert alert-info', role: 'note' }, t('no_volumes')));
    return {};
  }
  const box = h('div', { id: 'volumes-table' }, t('loading'));
  const create = button(t('create_volume'), () => createWizard(type, load), 'btn-primary');
  create.id = 'create-volume';
  app.append(pageHeader(t('volumes'), create, button(t('refresh'), () => load())), box);
  const columns = [
    { key: 'name', label: t('name'), render: (v) => v.name || v.id },
    { key: 'size', label: `${t('size')} (GiB)` },
    { key: 'status', label: t('status'), render: (v) => badge(v.status) },
    { key: 'attached', label: t('attached_to'), render: (v) => (v.attachments || []).map((a) => a.server_id).join(', ') },
    { key: 'actions', label: t('actions'), render: (v) => h('div', { class: 'd-flex flex-wrap gap-1' },
      (v.attachments || []).length
        ? button(t('detach'), () => guarded(async () => {
          for (const a of v.attachments) await svc('compute', 'DELETE', `/servers/${a.server_id}/os-volume_attachments/${v.id}`);
        }))
        : button(t('attach'), () => attachWizard(v)),
      button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: v.name || v.id }))) return;
        await svc(type, 'DELETE', `/volumes/${v.id}`);
        await load();
      }), 'btn-outline-danger')) },
  ];
  async function load() {
    const res = await guarded(() => svc(type, 'GET', '/volumes/detail'));
    if (!res) return;
    box.replaceChildren(table(columns, res.volumes, { id: 'volumes', rowId: (v) => v.id }));
  }
  await load();
  return { onEvent(evType) { if (evType.startsWith('volume.')) load(); } };
}

function createWizard(type, reload) {
  formModal(t('create_volume'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'size', label: `${t('size')} (GiB)`, type: 'number', value: '1', min: 1 },
  ], async (v) => {
    await svc(type, 'POST', '/volumes', { volume: { name: v.name, size: parseInt(v.size, 10) || 1 } });
    showInfo(`${t('create')}: ${v.name}`);
    await reload();
  });
}

async function attachWizard(volume) {
  const servers = await guarded(() => svc('compute', 'GET', '/servers'));
  if (!servers) return;
  formModal(`${t('attach')}: ${volume.name || volume.id}`, [
    { name: 'server', label: t('instance'), type: 'select', options: servers.servers.map((s) => ({ value: s.id, label: s.name })) },
  ], async (v) => {
    await svc('compute', 'POST', `/servers/${v.server}/os-volume_attachments`, { volumeAttachment: { volumeId: volume.id } });
    showInfo(`${t('attach')}: ${volume.name}`);
  }, { submitLabel: t('attach') });
}
