// Login: domain, user name, password.
import { request, setCsrfToken } from '../api.js';
import { t } from '../i18n.js';
import { h, showError } from '../ui.js';

export function render(app, { onLogin }) {
  const errors = h('div', { id: 'login-errors' });
  const input = (name, type, value, autocomplete) => h('div', { class: 'mb-3' },
    h('label', { class: 'form-label', for: `login-${name}` }, t(name)),
    h('input', { class: 'form-control', id: `login-${name}`, name, type, value, autocomplete, required: name !== 'domain' }));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary w-100', id: 'login-submit' }, t('login'));
  const form = h('form', { id: 'login-form', novalidate: true },
    input('domain', 'text', 'Default', 'organization'),
    input('user', 'text', '', 'username'),
    input('password', 'password', '', 'current-password'),
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    submit.disabled = true;
    try {
      const session = await request('POST', '/api/login', {
        domain: form.domain.value, user: form.user.value, password: form.password.value,
      });
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
