// Object storage (Swift API through the proxy): containers (create, delete, public read
// access by the ".r:*" ACL), their pseudo-folders (prefix + "/" delimiter listings; a new
// folder is a "name/" marker object), upload with a progress bar, download, delete. A note
// instead when the catalog has no object-store service.
import { query, requestFull, svc, upload } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

const PUBLIC_ACL = '.r:*,.rlistings';
const enc = (path) => path.split('/').map(encodeURIComponent).join('/');
const url = (container, name = '') => `/${encodeURIComponent(container)}${name ? `/${enc(name)}` : ''}`;

function size(bytes) {
  if (bytes === undefined || bytes === null) return '';
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
}

export async function render(app, { session }) {
  if (!session.services.includes('object-store')) {
    app.append(pageHeader(t('object_storage')), h('div', { class: 'alert alert-info', role: 'note', id: 'no-object-store' }, t('no_object_store')));
    return {};
  }
  const view = { container: null, prefix: '', isPublic: false };
  const containersBox = h('div', { id: 'containers-table' }, t('loading'));
  const objectsBox = h('div', { id: 'objects-box' });
  const create = button(t('create_container'), () => createContainer(), 'btn-primary');
  create.id = 'create-container';
  app.append(pageHeader(t('object_storage'), create, button(t('refresh'), () => loadAll())),
    h('div', { class: 'row g-3' }, h('div', { class: 'col-12 col-lg-4' }, containersBox),
      h('div', { class: 'col-12 col-lg-8' }, objectsBox)));

  async function loadContainers() {
    const res = await guarded(() => svc('object-store', 'GET', `/${query({ format: 'json' })}`));
    if (!res) return;
    containersBox.replaceChildren(table([
      { key: 'name', label: t('container'), render: (c) => h('a', { href: '#/containers', class: 'container-link',
        onclick: (e) => { e.preventDefault(); open(c.name, ''); } }, c.name) },
      { key: 'count', label: t('objects') },
      { key: 'bytes', label: t('size'), render: (c) => size(c.bytes) },
      { key: 'actions', label: t('actions'), render: (c) => button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: c.name }))) return;
        await svc('object-store', 'DELETE', url(c.name));
        if (view.container === c.name) { view.container = null; objectsBox.replaceChildren(); }
        await loadContainers();
      }), 'btn-outline-danger') },
    ], res || [], { id: 'containers', rowId: (c) => c.name }));
  }

  async function loadObjects() {
    const c = view.container;
    if (!c) return;
    const res = await guarded(() => requestFull('GET', `/api/svc/object-store${url(c)}${query({ format: 'json', delimiter: '/', prefix: view.prefix })}`));
    if (!res) return;
    view.isPublic = (res.headers.get('X-Container-Read') || '').includes('.r:*');
    const crumbs = [h('a', { href: '#/containers', onclick: (e) => { e.preventDefault(); open(c, ''); } }, c)];
    let acc = '';
    for (const part of view.prefix.split('/').filter(Boolean)) {
      acc += `${part}/`;
      const target = acc;
      crumbs.push(' / ', h('a', { href: '#/containers', onclick: (e) => { e.preventDefault(); open(c, target); } }, part));
    }
    const toggle = button(view.isPublic ? t('make_private') : t('make_public'), () => guarded(async () => {
      await svc('object-store', 'POST', url(c), undefined, { 'X-Container-Read': view.isPublic ? '' : PUBLIC_ACL });
      await loadObjects();
    }));
    toggle.id = 'toggle-public';
    const uploadButton = button(t('upload_object'), () => uploadWizard(), 'btn-primary');
    uploadButton.id = 'upload-object';
    const folderButton = button(t('create_folder'), () => createFolder());
    folderButton.id = 'create-folder';
    // A folder is a "subdir" entry, or its own marker object ("name/") when the listing
    // shows the marker itself; each folder once.
    const seen = new Set();
    const rows = (res.data || []).map((o) => (!o.subdir && o.name.endsWith('/') ? { subdir: o.name } : o))
      .filter((o) => (o.subdir ? o.subdir !== view.prefix && !seen.has(o.subdir) && seen.add(o.subdir) : true));
    objectsBox.replaceChildren(
      h('div', { class: 'd-flex flex-wrap justify-content-between align-items-center gap-2 mb-2' },
        h('nav', { 'aria-label': t('folder'), id: 'object-path' }, ...crumbs),
        h('div', { class: 'd-flex flex-wrap gap-2 align-items-center' },
          h('span', { id: 'container-access' }, badge(view.isPublic ? t('public') : t('private'))), toggle, folderButton, uploadButton)),
      table([
        { key: 'name', label: t('name'), render: (o) => (o.subdir
          ? h('a', { href: '#/containers', class: 'folder-link', onclick: (e) => { e.preventDefault(); open(c, o.subdir); } }, `📁 ${o.subdir.slice(view.prefix.length)}`)
          : o.name.slice(view.prefix.length)) },
        { key: 'bytes', label: t('size'), render: (o) => (o.subdir ? '' : size(o.bytes)) },
        // A folder's Delete removes its marker object ("name/"); what is inside stays.
        { key: 'actions', label: t('actions'), render: (o) => h('div', { class: 'd-flex gap-1' },
          o.subdir ? '' : h('a', { class: 'btn btn-sm btn-outline-secondary', href: `/api/svc/object-store${url(c, o.name)}`,
            download: o.name.slice(view.prefix.length) }, t('download')),
          button(t('delete'), () => guarded(async () => {
            const name = o.subdir || o.name;
            if (!confirmAction(t('confirm_delete', { name }))) return;
            await svc('object-store', 'DELETE', url(c, name));
            await loadObjects();
          }), 'btn-outline-danger')) },
      ], rows, { id: 'objects', rowId: (o) => o.subdir || o.name }));
  }

  function open(container, prefix) {
    view.container = container;
    view.prefix = prefix;
    loadObjects();
  }

  function createContainer() {
    formModal(t('create_container'), [{ name: 'name', label: t('name'), required: true }], async (v) => {
      await svc('object-store', 'PUT', url(v.name.trim()));
      showInfo(`${t('create_container')}: ${v.name}`);
      await loadContainers();
      open(v.name.trim(), '');
    });
  }

  function createFolder() {
    formModal(t('create_folder'), [{ name: 'name', label: t('name'), required: true }], async (v) => {
      const name = `${view.prefix}${v.name.trim().replace(/^\/+|\/+$/g, '')}/`;
      await upload('object-store', `${url(view.container)}/${enc(name)}`, new Blob([]), () => {});
      await loadObjects();
    });
  }

  function uploadWizard() {
    formModal(t('upload_object'), [{ name: 'file', label: t('file'), type: 'file', required: true }], async (v, { body }) => {
      if (!v.file) throw new Error(`${t('file')}?`);
      const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
        'aria-valuenow': '0', 'aria-label': t('upload_object'), id: 'object-upload-progress' });
      body.append(h('div', { class: 'progress mt-2' }, bar));
      await upload('object-store', url(view.container, `${view.prefix}${v.file.name}`), v.file, (fraction) => {
        const pct = Math.round(fraction * 100);
        bar.style.width = `${pct}%`;
        bar.setAttribute('aria-valuenow', String(pct));
        bar.textContent = `${pct}%`;
      });
      showInfo(`${t('upload_object')}: ${v.file.name}`);
      await loadAll();
    }, { submitLabel: t('upload_object') });
  }

  async function loadAll() {
    await loadContainers();
    await loadObjects();
  }
  await loadContainers();
  return {};
}
