// Login: domain, user name and password, or an application credential (id and secret).
import { request, setCsrfToken } from '../api.js';
import { t } from '../i18n.js';
import { h, showError } from '../ui.js';

export function render(app, { onLogin }) {
  const errors = h('div', { id: 'login-errors' });
  const input = (name, type, value, autocomplete) => h('div', { class: 'mb-3' },
    h('label', { class: 'form-label', for: `login-${name}` }, t(name)),
    h('input', { class: 'form-control', id: `login-${name}`, name, type, value, autocomplete, required: name !== 'domain' }));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary w-100', id: 'login-submit' }, t('login'));
  const method = h('select', { class: 'form-select', id: 'login-method', name: 'method' },
    h('option', { value: 'password' }, t('password')), h('option', { value: 'app_cred' }, t('app_credential')));
  const passwordFields = h('div', { id: 'login-password-fields' },
    input('domain', 'text', 'Default', 'organization'),
    input('user', 'text', '', 'username'),
    input('password', 'password', '', 'current-password'));
  const appCredFields = h('div', { id: 'login-app-cred-fields', hidden: true },
    input('app_cred_id', 'text', '', 'off'),
    input('app_cred_secret', 'password', '', 'off'));
  const form = h('form', { id: 'login-form', novalidate: true },
    h('div', { class: 'mb-3' }, h('label', { class: 'form-label', for: 'login-method' }, t('auth_method')), method),
    passwordFields, appCredFields, submit);
  method.addEventListener('change', () => {
    passwordFields.hidden = method.value !== 'password';
    appCredFields.hidden = method.value === 'password';
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    submit.disabled = true;
    try {
      const session = await request('POST', '/api/login', method.value === 'password'
        ? { domain: form.domain.value, user: form.user.value, password: form.password.value }
        : { application_credential_id: form.app_cred_id.value, application_credential_secret: form.app_cred_secret.value });
      setCsrfToken(session.csrf_token);
      onLogin(session);
    } catch (err) {
      showError(err, errors);
    } finally {
      submit.disabled = false;
    }
  });
  app.append(h('div', { class: 'row justify-content-center' },
    h('div', { class: 'col-12 col-sm-8 col-md-5 col-lg-4' },
      h('h1', { class: 'h3 my-4 text-center' }, 'Gureum'), errors, form)));
  document.title = `${t('login')} · Gureum`;
  form.user.focus();
  return {};
}
