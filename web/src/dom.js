// DOM helpers. Every string passed as a child becomes a text node; nothing here
// ever parses markup, so text from input files can never become HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyProps(el, props) {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style') {
      // CSSOM only (allowed by the CSP); never a style attribute string.
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) el.style.setProperty(k, String(v));
      }
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key in PROPS) {
      el[PROPS[key]] = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      if (/^on/i.test(key) || key === 'srcdoc') throw new Error(`refusing attribute ${key}`);
      el.setAttribute(key, String(value));
    }
  }
}

// Attributes better set as properties.
const PROPS = { value: 'value', checked: 'checked', selected: 'selected', disabled: 'disabled', htmlFor: 'htmlFor' };

function appendChildren(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) appendChildren(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

// h('div', {class: 'x', onClick: fn}, 'text', otherNode, [more])
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  applyProps(el, props);
  appendChildren(el, children);
  return el;
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (/^on/i.test(k) || k === 'href' || k === 'xlink:href') throw new Error(`refusing attribute ${k}`);
    el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  appendChildren(el, children);
  return el;
}

// A definition list from [label, value] pairs; pairs whose value is empty are skipped.
export function dl(pairs, cls) {
  const list = h('dl', { class: cls || 'facts' });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '') continue;
    list.append(h('dt', null, label), h('dd', null, value));
  }
  return list;
}

export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

// Simple (non-virtual) table from column specs {label, get(row) -> string|Node, class?}.
export function table(columns, rows, opts = {}) {
  const thead = h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label))));
  const tbody = h('tbody');
  for (const row of rows) {
    const tr = h('tr', opts.rowProps ? opts.rowProps(row) : null);
    for (const c of columns) tr.append(h('td', { class: c.class }, c.get(row)));
    tbody.append(tr);
  }
  return h('table', { class: ['data', opts.class] }, opts.caption ? h('caption', null, opts.caption) : null, thead, tbody);
}

// A box that scrolls its (wide) content inside its card; focusable, so the
// keyboard scrolls it too, and named `label` for who reaches it that way.
export function scrollBox(label, child, cls = 'table-wrap') {
  return h('div', { class: cls, tabindex: '0', role: 'group', 'aria-label': label }, child);
}

export function debounce(fn, ms) {
  let t = 0;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

let idCounter = 0;
export function uid(prefix = 'id') {
  return `${prefix}-${++idCounter}`;
}
