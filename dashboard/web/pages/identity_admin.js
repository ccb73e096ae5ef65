// Admin: identity's projects, users, roles and role assignments (Keystone v3 through the
// proxy; identity's own policy answers 403 to anyone else).
import { query, svc } from '../api.js';
import { t } from '../i18n.js';
import { badge, button, confirmAction, formModal, guarded, h, pageHeader, showInfo, table } from '../ui.js';

const opt = (list) => list.map((x) => ({ value: x.id, label: x.name || x.id }));

function section(title, id, ...buttons) {
  const box = h('div', { id: `${id}-table` }, t('loading'));
  return { box, node: h('section', { class: 'mb-4', 'aria-labelledby': `${id}-title` },
    h('div', { class: 'd-flex flex-wrap justify-content-between align-items-center gap-2 mb-2' },
      h('h2', { class: 'h5 m-0', id: `${id}-title` }, title), h('div', { class: 'd-flex gap-2' }, ...buttons)),
    box) };
}

function del(label, path, reload) {
  return button(t('delete'), () => guarded(async () => {
    if (!confirmAction(t('confirm_delete', { name: label }))) return;
    await svc('identity', 'DELETE', path);
    await reload();
  }), 'btn-outline-danger');
}

export async function render(app) {
  const data = { projects: [], users: [], roles: [] };
  const projects = section(t('projects'), 'projects', withId(button(t('create_project'), () => createProject(), 'btn-primary'), 'create-project'));
  const users = section(t('users'), 'users', withId(button(t('create_user'), () => createUser(), 'btn-primary'), 'create-user'));
  const roles = section(t('roles'), 'roles', withId(button(t('create_role'), () => createRole(), 'btn-primary'), 'create-role'));
  const grants = section(t('assignments'), 'assignments', withId(button(t('grant_role'), () => grant(), 'btn-primary'), 'grant-role'));
  app.append(pageHeader(t('identity_admin'), button(t('refresh'), () => load())),
    projects.node, users.node, roles.node, grants.node);

  async function load() {
    const res = await guarded(() => Promise.all([
      svc('identity', 'GET', '/projects'), svc('identity', 'GET', '/users'), svc('identity', 'GET', '/roles'),
      svc('identity', 'GET', `/role_assignments${query({ include_names: 'true' })}`)]));
    if (!res) return;
    [data.projects, data.users, data.roles] = [res[0].projects, res[1].users, res[2].roles];
    const byName = (a, b) => (a.name || '').localeCompare(b.name || '');
    projects.box.replaceChildren(table([
      { key: 'name', label: t('name') }, { key: 'description', label: t('description') },
      { key: 'enabled', label: t('status'), render: (p) => badge(p.enabled ? 'up' : 'down') },
      { key: 'actions', label: t('actions'), render: (p) => h('div', { class: 'd-flex gap-1' },
        button(p.enabled ? t('disable') : t('enable'), () => guarded(async () => {
          await svc('identity', 'PATCH', `/projects/${p.id}`, { project: { enabled: !p.enabled } });
          await load();
        })), del(p.name, `/projects/${p.id}`, load)) },
    ], data.projects.sort(byName), { id: 'projects' }));
    users.box.replaceChildren(table([
      { key: 'name', label: t('name') }, { key: 'email', label: 'Email' },
      { key: 'enabled', label: t('status'), render: (u) => badge(u.enabled ? 'up' : 'down') },
      { key: 'actions', label: t('actions'), render: (u) => del(u.name, `/users/${u.id}`, load) },
    ], data.users.sort(byName), { id: 'users' }));
    roles.box.replaceChildren(table([
      { key: 'name', label: t('name') },
      { key: 'actions', label: t('actions'), render: (r) => del(r.name, `/roles/${r.id}`, load) },
    ], data.roles.sort(byName), { id: 'roles' }));
    const rows = res[3].role_assignments.filter((a) => a.user && a.scope && a.scope.project);
    grants.box.replaceChildren(table([
      { key: 'user', label: t('user'), render: (a) => a.user.name || a.user.id },
      { key: 'role', label: t('role'), render: (a) => a.role.name || a.role.id },
      { key: 'project', label: t('project'), render: (a) => a.scope.project.name || a.scope.project.id },
      { key: 'actions', label: t('actions'), render: (a) => button(t('revoke'), () => guarded(async () => {
        await svc('identity', 'DELETE', `/projects/${a.scope.project.id}/users/${a.user.id}/roles/${a.role.id}`);
        await load();
      }), 'btn-outline-danger') },
    ], rows, { id: 'assignments' }));
  }

  function createProject() {
    formModal(t('create_project'), [
      { name: 'name', label: t('name'), required: true }, { name: 'description', label: t('description') },
    ], async (v) => {
      await svc('identity', 'POST', '/projects', { project: { name: v.name, description: v.description } });
      showInfo(`${t('create_project')}: ${v.name}`);
      await load();
    });
  }
  function createUser() {
    formModal(t('create_user'), [
      { name: 'name', label: t('name'), required: true },
      { name: 'password', label: t('password'), type: 'password', required: true },
      { name: 'project', label: t('project'), type: 'select', options: [{ value: '', label: t('none') }, ...opt(data.projects)] },
    ], async (v) => {
      const user = { name: v.name, password: v.password };
      if (v.project) user.default_project_id = v.project;
      await svc('identity', 'POST', '/users', { user });
      showInfo(`${t('create_user')}: ${v.name}`);
      await load();
    });
  }
  function createRole() {
    formModal(t('create_role'), [{ name: 'name', label: t('name'), required: true }], async (v) => {
      await svc('identity', 'POST', '/roles', { role: { name: v.name } });
      await load();
    });
  }
  function grant() {
    formModal(t('grant_role'), [
      { name: 'user', label: t('user'), type: 'select', options: opt(data.users) },
      { name: 'role', label: t('role'), type: 'select', options: opt(data.roles) },
      { name: 'project', label: t('project'), type: 'select', options: opt(data.projects) },
    ], async (v) => {
      await svc('identity', 'PUT', `/projects/${v.project}/users/${v.user}/roles/${v.role}`);
      showInfo(t('grant_role'));
      await load();
    }, { submitLabel: t('grant_role') });
  }
  await load();
  return {};
}

function withId(el, id) {
  el.id = id;
  return el;
}
