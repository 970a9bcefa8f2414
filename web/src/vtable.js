// A virtualized, sortable table: only the rows in view (plus a few) are in the
// DOM, so thousands of rows stay smooth. Rows are focusable; Enter (or a click)
// opens one; arrow keys, Page Up/Down, Home and End move between rows.
import { h } from './dom.js';

const OVERSCAN = 8;

function compare(a, b) {
  const an = a === null || a === undefined || (typeof a === 'number' && !Number.isFinite(a));
  const bn = b === null || b === undefined || (typeof b === 'number' && !Number.isFinite(b));
  if (an || bn) return an === bn ? 0 : an ? 1 : -1; // unknown last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

// columns: [{ key, label, width ('1fr', '120px'), sort?: row => value, render: row => Node|string, class? }]
// options: { rows, rowHeight, label, onOpen(row), rowLabel(row), sort: {key, dir}, empty }
export function createVirtualTable(columns, options) {
  const rowHeight = options.rowHeight || 40;
  let rows = options.rows || [];
  let view = rows;
  let sort = options.sort || null;
  const template = columns.map((c) => c.width || '1fr').join(' ');

  const headerRow = h('div', { class: 'vt-row vt-header', role: 'row', 'aria-rowindex': '1' });
  headerRow.style.gridTemplateColumns = template;
  const headerCells = new Map();
  for (const c of columns) {
    let cell;
    if (c.sort) {
      const btn = h('button', { type: 'button', class: 'vt-sort', onClick: () => toggleSort(c.key) }, c.label, h('span', { class: 'vt-arrow', 'aria-hidden': 'true' }));
      cell = h('div', { class: ['vt-cell', c.class], role: 'columnheader' }, btn);
    } else {
      cell = h('div', { class: ['vt-cell', c.class], role: 'columnheader' }, c.label);
    }
    headerCells.set(c.key, cell);
    headerRow.append(cell);
  }
  const spacer = h('div', { class: 'vt-spacer', role: 'rowgroup' });
  const head = h('div', { class: 'vt-head', role: 'rowgroup' }, headerRow);
  const viewport = h('div', { class: 'vt-viewport' }, head, spacer);
  const emptyNote = h('p', { class: 'vt-empty muted', hidden: true }, options.empty || 'Nothing to show.');
  const status = h('p', { class: 'vt-status muted', 'aria-live': 'polite' });
  const el = h(
    'div',
    { class: 'vtable', role: 'table', 'aria-label': options.label || 'table' },
    viewport,
    emptyNote,
    status,
  );

  const rendered = new Map(); // index in view -> element
  let raf = 0;

  function applySort() {
    view = rows.slice();
    if (sort) {
      const col = columns.find((c) => c.key === sort.key);
      if (col && col.sort) {
        const dir = sort.dir === 'desc' ? -1 : 1;
        const keyed = view.map((r, i) => ({ r, v: col.sort(r), i }));
        keyed.sort((a, b) => {
          const aNull = a.v === null || a.v === undefined;
          const bNull = b.v === null || b.v === undefined;
          if (aNull || bNull) return aNull === bNull ? a.i - b.i : aNull ? 1 : -1;
          return dir * compare(a.v, b.v) || a.i - b.i;
        });
        view = keyed.map((k) => k.r);
      }
    }
    for (const c of columns) {
      const cell = headerCells.get(c.key);
      if (!c.sort) continue;
      const s = sort && sort.key === c.key ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none';
      cell.setAttribute('aria-sort', s);
      cell.querySelector('.vt-arrow').textContent = s === 'ascending' ? ' ▲' : s === 'descending' ? ' ▼' : '';
    }
  }

  function toggleSort(key) {
    if (sort && sort.key === key) sort = { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' };
    else sort = { key, dir: 'asc' };
    options.onSort?.(sort);
    applySort();
    reset();
  }

  function buildRow(index) {
    const row = view[index];
    const r = h('div', {
      class: 'vt-row vt-body-row',
      role: 'row',
      tabindex: '0',
      'aria-rowindex': String(index + 2),
      'aria-label': options.rowLabel ? options.rowLabel(row) : undefined,
      dataset: { index: String(index) },
    });
    r.style.gridTemplateColumns = template;
    r.style.transform = `translateY(${index * rowHeight}px)`;
    r.style.height = `${rowHeight}px`;
    for (const c of columns) r.append(h('div', { class: ['vt-cell', c.class], role: 'cell' }, c.render(row)));
    return r;
  }

  function headerHeight() {
    return head.offsetHeight || rowHeight;
  }

  function renderRange() {
    raf = 0;
    const top = Math.max(0, viewport.scrollTop - headerHeight());
    const vh = viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
    const last = Math.min(view.length - 1, Math.ceil((top + vh) / rowHeight) + OVERSCAN);
    for (const [i, node] of rendered) {
      if (i < first || i > last) {
        if (node.contains(document.activeElement)) continue; // keep the focused row
        node.remove();
        rendered.delete(i);
      }
    }
    for (let i = first; i <= last; i++) {
      if (!rendered.has(i)) {
        const node = buildRow(i);
        rendered.set(i, node);
        spacer.append(node);
      }
    }
  }

  function schedule() {
    if (!raf) raf = requestAnimationFrame(renderRange);
  }

  function reset() {
    for (const node of rendered.values()) node.remove();
    rendered.clear();
    spacer.style.height = `${view.length * rowHeight}px`;
    el.setAttribute('aria-rowcount', String(view.length + 1));
    emptyNote.hidden = view.length > 0;
    status.textContent = options.status ? options.status(view.length, rows.length) : '';
    renderRange();
  }

  function focusIndex(i) {
    if (!view.length) return;
    i = Math.max(0, Math.min(view.length - 1, i));
    const rowTop = i * rowHeight + headerHeight();
    if (rowTop < viewport.scrollTop + headerHeight()) viewport.scrollTop = rowTop - headerHeight();
    else if (rowTop + rowHeight > viewport.scrollTop + viewport.clientHeight) {
      viewport.scrollTop = rowTop + rowHeight - viewport.clientHeight;
    }
    renderRange();
    rendered.get(i)?.focus({ preventScroll: true });
  }

  viewport.addEventListener('scroll', schedule, { passive: true });
  spacer.addEventListener('click', (e) => {
    const r = e.target.closest('.vt-body-row');
    if (!r || e.target.closest('a, button, input, select')) return;
    const row = view[Number(r.dataset.index)];
    if (row && options.onOpen) options.onOpen(row);
  });
  spacer.addEventListener('keydown', (e) => {
    const r = e.target.closest('.vt-body-row');
    if (!r || e.target !== r) return;
    const i = Number(r.dataset.index);
    const page = Math.max(1, Math.floor(viewport.clientHeight / rowHeight) - 1);
    const moves = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: view.length - 1 };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (options.onOpen) options.onOpen(view[i]);
    } else if (e.key in moves) {
      e.preventDefault();
      focusIndex(moves[e.key]);
    }
  });
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(schedule).observe(viewport);

  // Printing shows every row (up to a limit), not just those in view.
  const PRINT_LIMIT = 5000;
  const beforePrint = () => {
    if (!el.isConnected) return window.removeEventListener('beforeprint', beforePrint);
    for (let i = 0; i < Math.min(view.length, PRINT_LIMIT); i++) {
      if (!rendered.has(i)) {
        const node = buildRow(i);
        rendered.set(i, node);
        spacer.append(node);
      }
    }
  };
  window.addEventListener('beforeprint', beforePrint);

  applySort();
  queueMicrotask(reset);
  reset();

  return {
    el,
    setRows(next) {
      rows = next || [];
      applySort();
      viewport.scrollTop = 0;
      reset();
    },
    get rows() {
      return view;
    },
    focusIndex,
    refresh: schedule,
  };
}
