// Form fields bound to the state, each with a place for its error message right under it. A field is named by a
// key (`api/id`, `cases/3/path`, ...): `showErrors` puts each message of the evaluation next to its field.

import { h, select } from './dom.js';

/** A labelled field: `control` is the input; `key` names it for errors. */
export function field(key, label, control, { hint, wide } = {}) {
  control.dataset.field = key;
  if (!control.id) control.id = `f-${key.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  return h(
    'div',
    { class: `field${wide ? ' wide' : ''}` },
    label ? h('label', { for: control.id }, label) : null,
    control,
    hint ? h('div', { class: 'hint' }, hint) : null,
    h('div', { class: 'field-error', dataset: { for: key }, role: 'alert' }),
  );
}

/** A text input writing `obj[prop]`. */
export function textInput(obj, prop, onInput, props = {}) {
  return h('input', {
    type: 'text',
    value: obj[prop],
    spellcheck: 'false',
    autocomplete: 'off',
    ...props,
    oninput: (e) => {
      obj[prop] = e.target.value;
      onInput();
    },
  });
}

/** A textarea for JSON writing `obj[prop]`. */
export function jsonArea(obj, prop, onInput, props = {}) {
  return h('textarea', {
    value: obj[prop],
    spellcheck: 'false',
    rows: Math.min(14, Math.max(3, obj[prop].split('\n').length + 1)),
    ...props,
    oninput: (e) => {
      obj[prop] = e.target.value;
      onInput();
    },
  });
}

export function selectInput(obj, prop, options, onInput, props = {}) {
  return select(options, obj[prop], {
    ...props,
    onchange: (e) => {
      obj[prop] = e.target.value;
      onInput();
    },
  });
}

/** Show `errors` ({key: message}) next to their fields; clear the others. */
export function showErrors(root, errors) {
  for (const el of root.querySelectorAll('.field-error')) {
    const message = errors[el.dataset.for] ?? '';
    if (el.textContent !== message) el.textContent = message;
  }
  for (const el of root.querySelectorAll('[data-field]')) {
    const bad = Boolean(errors[el.dataset.field]);
    if (bad) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}
