// The user's own identity: change the password (identity then revokes the user's tokens,
// so the session ends and the page asks for a new login) and application credentials
// (list, create with the secret shown once, delete).
import { svc } from '../api.js';
import { t } from '../i18n.js';
import { button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

export async function render(app, { session, onSessionEnded }) {
  const uid = session.user.id;
  const box = h('div', { id: 'app-credentials-table' }, t('loading'));
  const secretBox = h('div', { id: 'app-credential-secret' });
  const create = button(t('create_app_credential'), () => createWizard(), 'btn-primary');
  create.id = 'create-app-credential';
  const password = button(t('change_password'), () => passwordWizard());
  password.id = 'change-password';
  app.append(pageHeader(`${t('account')}: ${session.user.name}`, password),
    h('section', { 'aria-labelledby': 'app-credentials-title' },
      h('div', { class: 'd-flex justify-content-between align-items-center mb-2' },
        h('h2', { class: 'h5 m-0', id: 'app-credentials-title' }, t('app_credentials')), create),
      secretBox, box));

  async function load() {
    const res = await guarded(() => svc('identity', 'GET', `/users/${uid}/application_credentials`));
    if (!res) return;
    box.replaceChildren(table([
      { key: 'name', label: t('name') },
      { key: 'id', label: 'ID' },
      { key: 'project_id', label: t('project') },
      { key: 'expires_at', label: t('expires'), render: (c) => c.expires_at || t('never') },
      { key: 'actions', label: t('actions'), render: (c) => button(t('delete'), () => guarded(async () => {
        if (!confirmAction(t('confirm_delete', { name: c.name }))) return;
        await svc('identity', 'DELETE', `/users/${uid}/application_credentials/${c.id}`);
        await load();
      }), 'btn-outline-danger') },
    ], res.application_credentials, { id: 'app-credentials', rowId: (c) => c.id }));
  }

  function createWizard() {
    formModal(t('create_app_credential'), [
      { name: 'name', label: t('name'), required: true },
      { name: 'description', label: t('description') },
      { name: 'expires_at', label: t('expires'), type: 'datetime-local' },
    ], async (v) => {
      const body = { name: v.name };
      if (v.description) body.description = v.description;
      if (v.expires_at) body.expires_at = new Date(v.expires_at).toISOString();
      const res = await svc('identity', 'POST', `/users/${uid}/application_credentials`, { application_credential: body });
      const c = res.application_credential;
      secretBox.replaceChildren(h('div', { class: 'alert alert-warning' }, t('app_credential_secret'),
        h('dl', { class: 'mb-0 mt-2' }, h('dt', {}, 'ID'), h('dd', { class: 'font-monospace', id: 'app-credential-id' }, c.id),
          h('dt', {}, t('secret')), h('dd', { class: 'font-monospace', id: 'app-credential-secret-value' }, c.secret))));
      showInfo(`${t('create_app_credential')}: ${v.name}`);
      await load();
    });
  }

  function passwordWizard() {
    formModal(t('change_password'), [
      { name: 'original', label: t('current_password'), type: 'password', required: true },
      { name: 'password', label: t('new_password'), type: 'password', required: true },
      { name: 'again', label: t('new_password_again'), type: 'password', required: true },
    ], async (v) => {
      if (v.password !== v.again) throw new Error(t('passwords_differ'));
      await svc('identity', 'POST', `/users/${uid}/password`, { user: { password: v.password, original_password: v.original } });
      showInfo(t('password_changed'));
      if (onSessionEnded) setTimeout(onSessionEnded, 300);
    }, { submitLabel: t('change_password') });
  }

  await load();
  return {};
}
