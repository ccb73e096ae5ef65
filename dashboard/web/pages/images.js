// Images: list, upload with a progress bar (XHR upload events), edit (JSON patch), share
// with other projects (members), delete.
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
      ? h('div', { class: 'd-flex flex-wrap gap-1' },
        button(t('edit'), () => editWizard(i, load)),
        button(t('share'), () => shareDialog(i, load)),
        button(t('delete'), () => guarded(async () => {
          if (!confirmAction(t('confirm_delete', { name: i.name || i.id }))) return;
          await svc('image', 'DELETE', `/v2/images/${i.id}`);
          showInfo(`${t('delete')}: ${i.name}`);
          await load();
        }), 'btn-outline-danger')) : '') },
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

const JSON_PATCH = { 'Content-Type': 'application/openstack-images-v2.1-json-patch' };

function editWizard(image, reload) {
  formModal(`${t('edit')}: ${image.name || image.id}`, [
    { name: 'name', label: t('name'), value: image.name || '', required: true },
    { name: 'visibility', label: t('visibility'), type: 'select', value: image.visibility,
      options: ['private', 'shared', 'community'].map((f) => ({ value: f, label: f })) },
    { name: 'min_disk', label: t('min_disk'), type: 'number', value: String(image.min_disk || 0), min: 0 },
  ], async (v) => {
    await svc('image', 'PATCH', `/v2/images/${image.id}`, [
      { op: 'replace', path: '/name', value: v.name },
      { op: 'replace', path: '/visibility', value: v.visibility },
      { op: 'replace', path: '/min_disk', value: parseInt(v.min_disk, 10) || 0 },
    ], JSON_PATCH);
    showInfo(`${t('edit')}: ${v.name}`);
    await reload();
  }, { submitLabel: t('save') });
}

// The projects an image is shared with: list, add (by project id), remove.
async function shareDialog(image, reload) {
  const list = h('ul', { class: 'list-group mb-2', id: 'image-members' });
  const refresh = async () => {
    const res = await svc('image', 'GET', `/v2/images/${image.id}/members`);
    list.replaceChildren(...res.members.map((m) => h('li', { class: 'list-group-item d-flex justify-content-between align-items-center' },
      h('span', {}, `${m.member_id} · ${m.status}`),
      button(t('remove'), () => guarded(async () => {
        await svc('image', 'DELETE', `/v2/images/${image.id}/members/${m.member_id}`);
        await refresh();
      }), 'btn-outline-danger'))));
    if (!res.members.length) list.append(h('li', { class: 'list-group-item' }, t('none')));
  };
  formModal(`${t('share')}: ${image.name || image.id}`, [
    { name: 'member', label: t('member_project'), required: true, placeholder: 'project id' },
  ], async (v, { body }) => {
    if (image.visibility !== 'shared') {
      await svc('image', 'PATCH', `/v2/images/${image.id}`, [{ op: 'replace', path: '/visibility', value: 'shared' }], JSON_PATCH);
      image.visibility = 'shared';
      await reload();
    }
    await svc('image', 'POST', `/v2/images/${image.id}/members`, { member: v.member.trim() });
    body.querySelector('input').value = '';
    await refresh();
  }, { submitLabel: t('add_member'), keepOpen: true, intro: h('div', {}, h('h3', { class: 'h6' }, t('members')), list) });
  // Only a shared image has members (the image service answers 403 for the others).
  if (image.visibility === 'shared') await guarded(refresh);
  else list.replaceChildren(h('li', { class: 'list-group-item' }, t('none')));
}
