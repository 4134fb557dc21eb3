// A tiny DOM builder: h('div', {class: 'x', onclick}, child, ...). Children may be strings, nodes, arrays,
// null or false (skipped). No framework: the page is rebuilt only when its structure changes (a row added, a
// preset loaded); typing only updates the state and the live results.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** A <select> of `options` (strings, or [value, label] pairs) with `value` selected. */
export function select(options, value, props = {}) {
  const known = options.some((o) => (Array.isArray(o) ? o[0] : o) === value);
  const all = known || value === undefined ? options : [...options, value];
  return h(
    'select',
    props,
    all.map((o) => {
      const [v, label] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: v === value }, label);
    }),
  );
}
