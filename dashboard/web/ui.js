// Small DOM helpers over Bootstrap: elements, alerts, tables, modal forms.
import { t } from './i18n.js';

// h('button', {class: 'btn', onclick: fn}, 'text', child...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function showError(err, where = document.getElementById('alerts')) {
  const message = err && err.message ? err.message : String(err);
  const box = h('div', { class: 'alert alert-danger alert-dismissible', role: 'alert' },
    message,
    h('button', { type: 'button', class: 'btn-close', 'data-bs-dismiss': 'alert', 'aria-label': 'Close' }));
  where.append(box);
  return box;
}

export function showInfo(message) {
  const box = h('div', { class: 'alert alert-success alert-dismissible', role: 'status' }, message,
    h('button', { type: 'button', class: 'btn-close', 'data-bs-dismiss': 'alert', 'aria-label': 'Close' }));
  document.getElementById('alerts').append(box);
  setTimeout(() => box.remove(), 5000);
}

export function clearAlerts() { document.getElementById('alerts').replaceChildren(); }

// Runs an async action, showing its error as an alert; returns its result or undefined.
export async function guarded(fn) {
  try {
    return await fn();
  } catch (e) {
    showError(e);
    return undefined;
  }
}

export function pageHeader(title, ...buttons) {
  return h('div', { class: 'd-flex flex-wrap justify-content-between align-items-center gap-2 mb-3' },
    h('h1', { class: 'h3 m-0' }, title), h('div', { class: 'd-flex flex-wrap gap-2' }, ...buttons));
}

// columns: [{key, label, render(row) -> node|string, sort: bool}]
export function table(columns, rows, { id, rowId } = {}) {
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)));
  const body = h('tbody', {}, rows.map((r) => tableRow(columns, r, rowId)));
  return h('div', { class: 'table-responsive' },
    h('table', { class: 'table table-sm table-hover align-middle', id }, h('thead', {}, head), body));
}

export function tableRow(columns, row, rowId) {
  return h('tr', { dataset: rowId ? { id: rowId(row) } : {} },
    columns.map((c) => h('td', { dataset: { col: c.key } }, c.render ? c.render(row) : (row[c.key] ?? ''))));
}

let modalSeq = 0;

// A modal form. fields: [{name, label, type: text|number|select|textarea|file|checks, options:
// [{value,label}], value, required}]. onSubmit(values, modal) may throw: the error shows in
// the modal. `intro`: a node shown above the form; `keepOpen`: the dialog stays open after a
// submit (a list edited in place). Returns the bootstrap.Modal.
export function formModal(title, fields, onSubmit, { submitLabel = t('create'), intro, keepOpen } = {}) {
  const id = `modal-${++modalSeq}`;
  const errors = h('div');
  const inputs = {};
  const form = h('form', { novalidate: true });
  for (const f of fields) form.append(field(id, f, inputs));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel);
  const dialog = h('div', { class: 'modal fade', id, tabindex: '-1', 'aria-labelledby': `${id}-title`, 'aria-hidden': 'true' },
    h('div', { class: 'modal-dialog modal-dialog-scrollable' },
      h('div', { class: 'modal-content' },
        h('div', { class: 'modal-header' },
          h('h2', { class: 'modal-title h5', id: `${id}-title` }, title),
          h('button', { type: 'button', class: 'btn-close', 'data-bs-dismiss': 'modal', 'aria-label': t('cancel') })),
        h('div', { class: 'modal-body' }, errors, intro, form),
        h('div', { class: 'modal-footer' },
          h('button', { type: 'button', class: 'btn btn-secondary', 'data-bs-dismiss': 'modal' }, t('cancel')),
          submit))));
  document.body.append(dialog);
  const modal = new window.bootstrap.Modal(dialog);
  dialog.addEventListener('hidden.bs.modal', () => dialog.remove());
  const run = async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    submit.disabled = true;
    try {
      await onSubmit(readValues(fields, inputs), { modal, body: dialog.querySelector('.modal-body') });
      if (!keepOpen) modal.hide();
    } catch (err) {
      showError(err, errors);
    } finally {
      submit.disabled = false;
    }
  };
  form.addEventListener('submit', run);
  submit.addEventListener('click', run);
  modal.show();
  return modal;
}

function field(id, f, inputs) {
  const inputId = `${id}-${f.name}`;
  let input;
  if (f.type === 'select') {
    input = h('select', { class: 'form-select', id: inputId, name: f.name, required: f.required },
      (f.options || []).map((o) => h('option', { value: o.value, selected: o.value === f.value }, o.label)));
  } else if (f.type === 'textarea') {
    input = h('textarea', { class: 'form-control', id: inputId, name: f.name, rows: 3 });
  } else if (f.type === 'checks') {
    const group = h('fieldset', { class: 'mb-3', id: inputId }, h('legend', { class: 'form-label fs-6' }, f.label),
      (f.options || []).map((o, i) => h('div', { class: 'form-check' },
        h('input', { class: 'form-check-input', type: 'checkbox', id: `${inputId}-${i}`, value: o.value, checked: o.checked }),
        h('label', { class: 'form-check-label', for: `${inputId}-${i}` }, o.label))));
    inputs[f.name] = group;
    return group;
  } else {
    input = h('input', { class: 'form-control', id: inputId, name: f.name, type: f.type || 'text',
      value: f.value, required: f.required, min: f.min, max: f.max, placeholder: f.placeholder });
  }
  inputs[f.name] = input;
  return h('div', { class: 'mb-3' }, h('label', { class: 'form-label', for: inputId }, f.label), input);
}

function readValues(fields, inputs) {
  const values = {};
  for (const f of fields) {
    const el = inputs[f.name];
    if (f.type === 'checks') values[f.name] = [...el.querySelectorAll('input:checked')].map((c) => c.value);
    else if (f.type === 'file') values[f.name] = el.files[0];
    else values[f.name] = el.value;
  }
  return values;
}

export function confirmAction(message) { return window.confirm(message); }

export function badge(status) {
  const cls = { ACTIVE: 'text-bg-success', ERROR: 'text-bg-danger', SHUTOFF: 'text-bg-secondary', BUILD: 'text-bg-info',
    active: 'text-bg-success', available: 'text-bg-success', 'in-use': 'text-bg-primary', DOWN: 'text-bg-secondary',
    up: 'text-bg-success', down: 'text-bg-danger', error: 'text-bg-danger' }[status] || 'text-bg-light';
  return h('span', { class: `badge ${cls}` }, status || '');
}

export function button(label, onclick, cls = 'btn-outline-secondary') {
  return h('button', { type: 'button', class: `btn btn-sm ${cls}`, onclick }, label);
}
