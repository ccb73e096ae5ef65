// Key pairs: list, create (the private key shown once, with a download), import a public
// key, delete.
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

export async function render(app) {
  const box = h('div', { id: 'keypairs-table' }, t('loading'));
  const keyBox = h('div', { id: 'private-key' });
  const create = button(t('create'), () => createWizard(), 'btn-primary');
  create.id = 'create-keypair';
  const importButton = button(t('import_keypair'), () => importWizard());
  importButton.id = 'import-keypair';
  app.append(pageHeader(t('key_pairs'), create, importButton, button(t('refresh'), () => load())), keyBox, box);
  const columns = [
    { key: 'name', label: t('name') },
    { key: 'fingerprint', label: t('fingerprint') },
    { key: 'actions', label: t('actions'), render: (k) => button(t('delete'), () => guarded(async () => {
      if (!confirmAction(t('confirm_delete', { name: k.name }))) return;
      await svc('compute', 'DELETE', `/os-keypairs/${encodeURIComponent(k.name)}`);
      await load();
    }), 'btn-outline-danger') },
  ];
  async function load() {
    const res = await guarded(() => svc('compute', 'GET', '/os-keypairs'));
    if (!res) return;
    box.replaceChildren(table(columns, res.keypairs.map((k) => k.keypair), { id: 'keypairs' }));
  }
  function createWizard() {
    formModal(t('create'), [
      { name: 'name', label: t('name'), required: true },
    ], async (v) => {
      const keypair = { name: v.name };
      // Generating a key needs a microversion below 2.92; the page speaks 2.15.
      const res = await svc('compute', 'POST', '/os-keypairs', { keypair });
      if (res.keypair.private_key) {
        const blob = new Blob([res.keypair.private_key], { type: 'application/x-pem-file' });
        keyBox.replaceChildren(h('div', { class: 'alert alert-warning' }, t('private_key'), ' ',
          h('a', { href: URL.createObjectURL(blob), download: `${v.name}.pem`, class: 'alert-link' }, `${v.name}.pem`)));
      }
      showInfo(`${t('create')}: ${v.name}`);
      await load();
    });
  }
  function importWizard() {
    formModal(t('import_keypair'), [
      { name: 'name', label: t('name'), required: true },
      { name: 'public_key', label: t('public_key'), type: 'textarea', required: true },
    ], async (v) => {
      await svc('compute', 'POST', '/os-keypairs', { keypair: { name: v.name, public_key: v.public_key.trim() } });
      showInfo(`${t('import_keypair')}: ${v.name}`);
      await load();
    }, { submitLabel: t('import_keypair') });
  }
  await load();
  return {};
}
