// Volumes (block storage): create, extend, snapshot, attach to / detach from an instance,
// delete; and the project's snapshots (delete). Hidden with a note when the catalog has no
// volumev3/block-storage service.
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
  const snapBox = h('div', { id: 'snapshots-table' }, t('loading'));
  const create = button(t('create_volume'), () => createWizard(type, load), 'btn-primary');
  create.id = 'create-volume';
  app.append(pageHeader(t('volumes'), create, button(t('refresh'), () => load())), box,
    h('h2', { class: 'h5 mt-4' }, t('snapshots')), snapBox);
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
      button(t('extend'), () => extendWizard(type, v, load)),
      button(t('snapshot'), () => snapshotWizard(type, v, load)),
      button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: v.name || v.id }))) return;
        await svc(type, 'DELETE', `/volumes/${v.id}`);
        await load();
      }), 'btn-outline-danger')) },
  ];
  const snapColumns = [
    { key: 'name', label: t('name'), render: (s) => s.name || s.id },
    { key: 'volume', label: t('volume'), render: (s) => s.volume_id },
    { key: 'size', label: `${t('size')} (GiB)` },
    { key: 'status', label: t('status'), render: (s) => badge(s.status) },
    { key: 'actions', label: t('actions'), render: (s) => button(t('delete'), () => guarded(async () => {
      if (!confirmAction(t('confirm_delete', { name: s.name || s.id }))) return;
      await svc(type, 'DELETE', `/snapshots/${s.id}`);
      await load();
    }), 'btn-outline-danger') },
  ];
  async function load() {
    const [res, snaps] = await Promise.all([
      guarded(() => svc(type, 'GET', '/volumes/detail')),
      guarded(() => svc(type, 'GET', '/snapshots/detail')),
    ]);
    if (res) box.replaceChildren(table(columns, res.volumes, { id: 'volumes', rowId: (v) => v.id }));
    if (snaps) snapBox.replaceChildren(table(snapColumns, snaps.snapshots, { id: 'snapshots', rowId: (s) => s.id }));
  }
  await load();
  return { onEvent(evType) { if (evType.startsWith('volume.') || evType.startsWith('snapshot.')) load(); } };
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

// os-extend; an in-use volume needs microversion 3.42 (sent always: the proxy passes
// OpenStack-API-Version through).
function extendWizard(type, volume, reload) {
  formModal(`${t('extend')}: ${volume.name || volume.id}`, [
    { name: 'size', label: `${t('new_size')} (GiB)`, type: 'number', value: String(volume.size + 1), min: volume.size + 1 },
  ], async (v) => {
    await svc(type, 'POST', `/volumes/${volume.id}/action`, { 'os-extend': { new_size: parseInt(v.size, 10) } },
      { 'OpenStack-API-Version': 'volume 3.42' });
    showInfo(`${t('extend')}: ${volume.name || volume.id}`);
    await reload();
  }, { submitLabel: t('extend') });
}

// A snapshot of the volume; `force` for an in-use one (a crash-consistent copy).
function snapshotWizard(type, volume, reload) {
  formModal(`${t('snapshot')}: ${volume.name || volume.id}`, [
    { name: 'name', label: t('name'), required: true, value: `${volume.name || volume.id}-snap` },
  ], async (v) => {
    await svc(type, 'POST', '/snapshots', { snapshot: { volume_id: volume.id, name: v.name, force: volume.status === 'in-use' } });
    showInfo(`${t('snapshot')}: ${v.name}`);
    await reload();
  }, { submitLabel: t('snapshot') });
}
