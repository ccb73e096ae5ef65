// Images: list, upload with a progress bar (XHR upload events), delete.
import { query, svc, upload } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

function size(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let n = bytes;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export async function render(app, { session }) {
  const box = h('div', { id: 'images-table' }, t('loading'));
  const uploadButton = button(t('upload'), () => uploadWizard(load), 'btn-primary');
  uploadButton.id = 'upload-image';
  app.append(pageHeader(t('images'), uploadButton, button(t('refresh'), () => load())), box);
  const columns = [
    { key: 'name', label: t('name'), render: (i) => i.name || i.id },
    { key: 'status', label: t('status'), render: (i) => badge(i.status) },
    { key: 'disk_format', label: t('disk_format') },
    { key: 'visibility', label: t('visibility') },
    { key: 'size', label: t('size'), render: (i) => size(i.size) },
    { key: 'actions', label: t('actions'), render: (i) => (i.owner === session.project.id
      ? button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: i.name || i.id }))) return;
        await svc('image', 'DELETE', `/v2/images/${i.id}`);
        showInfo(`${t('delete')}: ${i.name}`);
        await load();
      }), 'btn-outline-danger') : '') },
  ];
  async function load() {
    const res = await guarded(() => svc('image', 'GET', `/v2/images${query({ limit: 200 })}`));
    if (!res) return;
    const rows = res.images.sort((a, b) => (a.name || '').localeCompare(b.name || ''));
    box.replaceChildren(table(columns, rows, { id: 'images', rowId: (i) => i.id }));
  }
  await load();
  return {};
}

function uploadWizard(reload) {
  formModal(t('upload'), [
    { name: 'name', label: t('name'), required: true },
    { name: 'file', label: t('file'), type: 'file', required: true },
    { name: 'disk_format', label: t('disk_format'), type: 'select', value: 'qcow2',
      options: ['qcow2', 'raw', 'vmdk', 'vdi', 'iso', 'ami', 'aki', 'ari'].map((f) => ({ value: f, label: f })) },
    { name: 'visibility', label: t('visibility'), type: 'select', value: 'private',
      options: ['private', 'shared', 'community'].map((f) => ({ value: f, label: f })) },
  ], async (v, { body }) => {
    if (!v.file) throw new Error(`${t('file')}?`);
    const bar = h('div', { class: 'progress-bar', role: 'progressbar', style: 'width: 0%', 'aria-valuemin': '0',
      'aria-valuemax': '100', 'aria-valuenow': '0', 'aria-label': t('upload'), id: 'upload-progress' });
    body.append(h('div', { class: 'progress mt-2' }, bar));
    const image = await svc('image', 'POST', '/v2/images', {
      name: v.name, disk_format: v.disk_format, container_format: 'bare', visibility: v.visibility });
    try {
      await upload('image', `/v2/images/${image.id}/file`, v.file, (fraction) => {
        const pct = Math.round(fraction * 100);
        bar.style.width = `${pct}%`;
        bar.setAttribute('aria-valuenow', String(pct));
        bar.textContent = `${pct}%`;
      });
    } catch (e) {
      await svc('image', 'DELETE', `/v2/images/${image.id}`).catch(() => {});
      throw e;
    }
    showInfo(`${t('upload')}: ${v.name}`);
    await reload();
  }, { submitLabel: t('upload') });
}
