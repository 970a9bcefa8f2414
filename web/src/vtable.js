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

// rows ordered by `sort` ({key, dir}) with that column's sort value; unknown
// values last, ties in their given order.
function sortedRows(rows, columns, sort) {
  const col = sort && columns.find((c) => c.key === sort.key);
  if (!col || !col.sort) return rows.slice();
  const dir = sort.dir === 'desc' ? -1 : 1;
  const keyed = rows.map((r, i) => ({ r, v: col.sort(r), i }));
  keyed.sort((a, b) => {
    const aNull = a.v === null || a.v === undefined;
    const bNull = b.v === null || b.v === undefined;
    if (aNull || bNull) return aNull === bNull ? a.i - b.i : aNull ? 1 : -1;
    return dir * compare(a.v, b.v) || a.i - b.i;
  });
  return keyed.map((k) => k.r);
}

// The header row: a sort button per sortable column (onSort(key)).
function headerRowOf(columns, template, onSort) {
  const headerRow = h('div', { class: 'vt-row vt-header', role: 'row', 'aria-rowindex': '1' });
  headerRow.style.gridTemplateColumns = template;
  const cells = new Map();
  for (const c of columns) {
    const content = c.sort ? h('button', { type: 'button', class: 'vt-sort', onClick: () => onSort(c.key) }, c.label, h('span', { class: 'vt-arrow', 'aria-hidden': 'true' })) : c.label;
    const cell = h('div', { class: ['vt-cell', c.class], role: 'columnheader' }, content);
    cells.set(c.key, cell);
    headerRow.append(cell);
  }
  return { headerRow, cells };
}

// aria-sort and the arrow of every sortable column's header.
function markSort(columns, cells, sort) {
  for (const c of columns) {
    if (!c.sort) continue;
    const cell = cells.get(c.key);
    const s = sort && sort.key === c.key ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none';
    cell.setAttribute('aria-sort', s);
    cell.querySelector('.vt-arrow').textContent = s === 'ascending' ? ' ▲' : s === 'descending' ? ' ▼' : '';
  }
}

// The row element of view[index], placed at its offset.
function rowElement(columns, template, rowHeight, row, index, rowLabel) {
  const r = h('div', {
    class: 'vt-row vt-body-row',
    role: 'row',
    tabindex: '0',
    'aria-rowindex': String(index + 2),
    'aria-label': rowLabel ? rowLabel(row) : undefined,
    dataset: { index: String(index) },
  });
  r.style.gridTemplateColumns = template;
  r.style.transform = `translateY(${index * rowHeight}px)`;
  r.style.height = `${rowHeight}px`;
  for (const c of columns) r.append(h('div', { class: ['vt-cell', c.class], role: 'cell' }, c.render(row)));
  return r;
}

// Click or Enter opens a row (open(index)); arrows, Page Up/Down, Home and End
// move the focus (focusIndex(index)).
function wireRowKeys(spacer, viewport, rowHeight, count, open, focusIndex) {
  spacer.addEventListener('click', (e) => {
    const r = e.target.closest('.vt-body-row');
    if (!r || e.target.closest('a, button, input, select')) return;
    open(Number(r.dataset.index));
  });
  spacer.addEventListener('keydown', (e) => {
    const r = e.target.closest('.vt-body-row');
    if (!r || e.target !== r) return;
    const i = Number(r.dataset.index);
    const page = Math.max(1, Math.floor(viewport.clientHeight / rowHeight) - 1);
    const moves = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: count() - 1 };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(i);
    } else if (e.key in moves) {
      e.preventDefault();
      focusIndex(moves[e.key]);
    }
  });
}

// The rows in the DOM: those in view plus OVERSCAN each side (and the focused
// one), each at its offset in `spacer`, drawn from view() on scroll or resize.
function rowWindow({ columns, template, rowHeight, rowLabel, head, spacer, viewport, view }) {
  const rendered = new Map(); // index in view -> element
  let raf = 0;
  const headerHeight = () => head.offsetHeight || rowHeight;
  function ensureRow(i) {
    if (rendered.has(i)) return;
    const node = rowElement(columns, template, rowHeight, view()[i], i, rowLabel);
    rendered.set(i, node);
    spacer.append(node);
  }
  function renderRange() {
    raf = 0;
    const top = Math.max(0, viewport.scrollTop - headerHeight());
    const vh = viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
    const last = Math.min(view().length - 1, Math.ceil((top + vh) / rowHeight) + OVERSCAN);
    for (const [i, node] of rendered) {
      if (i < first || i > last) {
        if (node.contains(document.activeElement)) continue; // keep the focused row
        node.remove();
        rendered.delete(i);
      }
    }
    for (let i = first; i <= last; i++) ensureRow(i);
  }
  return {
    ensureRow,
    renderRange,
    schedule() {
      if (!raf) raf = requestAnimationFrame(renderRange);
    },
    clear() {
      for (const node of rendered.values()) node.remove();
      rendered.clear();
      spacer.style.height = `${view().length * rowHeight}px`;
    },
    focusIndex(i) {
      const n = view().length;
      if (!n) return;
      i = Math.max(0, Math.min(n - 1, i));
      const rowTop = i * rowHeight + headerHeight();
      if (rowTop < viewport.scrollTop + headerHeight()) viewport.scrollTop = rowTop - headerHeight();
      else if (rowTop + rowHeight > viewport.scrollTop + viewport.clientHeight) {
        viewport.scrollTop = rowTop + rowHeight - viewport.clientHeight;
      }
      renderRange();
      rendered.get(i)?.focus({ preventScroll: true });
    },
  };
}

// columns: [{ key, label, width ('1fr', '120px'), sort?: row => value, render: row => Node|string, class? }]
// options: { rows, rowHeight, label, onOpen(row), rowLabel(row), sort: {key, dir}, empty }
export function createVirtualTable(columns, options) {
  const rowHeight = options.rowHeight || 40;
  let rows = options.rows || [];
  let view = rows;
  let sort = options.sort || null;
  const template = columns.map((c) => c.width || '1fr').join(' ');

  const { headerRow, cells: headerCells } = headerRowOf(columns, template, (key) => toggleSort(key));
  const spacer = h('div', { class: 'vt-spacer', role: 'rowgroup' });
  const head = h('div', { class: 'vt-head', role: 'rowgroup' }, headerRow);
  // The scrolling box is the table (its children are the two row groups); the
  // note for no rows and the status line follow it.
  const viewport = h('div', { class: 'vt-viewport', role: 'table', 'aria-label': options.label || 'table' }, head, spacer);
  const emptyNote = h('p', { class: 'vt-empty muted', hidden: true }, options.empty || 'Nothing to show.');
  const status = h('p', { class: 'vt-status muted', 'aria-live': 'polite' });
  const el = h('div', { class: 'vtable' }, viewport, emptyNote, status);
  const win = rowWindow({ columns, template, rowHeight, rowLabel: options.rowLabel, head, spacer, viewport, view: () => view });

  function applySort() {
    view = sortedRows(rows, columns, sort);
    markSort(columns, headerCells, sort);
  }

  function toggleSort(key) {
    if (sort && sort.key === key) sort = { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' };
    else sort = { key, dir: 'asc' };
    options.onSort?.(sort);
    applySort();
    reset();
  }

  function reset() {
    win.clear();
    viewport.setAttribute('aria-rowcount', String(view.length + 1));
    emptyNote.hidden = view.length > 0;
    status.textContent = options.status ? options.status(view.length, rows.length) : '';
    win.renderRange();
  }

  viewport.addEventListener('scroll', win.schedule, { passive: true });
  const open = (i) => {
    const row = view[i];
    if (row && options.onOpen) options.onOpen(row);
  };
  wireRowKeys(spacer, viewport, rowHeight, () => view.length, open, win.focusIndex);
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(win.schedule).observe(viewport);

  // Printing shows every row (up to a limit), not just those in view.
  const PRINT_LIMIT = 5000;
  const beforePrint = () => {
    if (!el.isConnected) return window.removeEventListener('beforeprint', beforePrint);
    for (let i = 0; i < Math.min(view.length, PRINT_LIMIT); i++) win.ensureRow(i);
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
    focusIndex: win.focusIndex,
    refresh: win.schedule,
  };
}
