// Saved sessions on the page: the "Save on this device" form of the Export
// card, and the landing page's list of saved sessions (open, rename, tag,
// delete). The storage is saved.js (IndexedDB); nothing is uploaded.
import { h } from '../dom.js';
import { fmtDateTime, fmtNum } from '../format.js';
import { arr } from '../report.js';
import { deleteSaved, listSaved, savedAvailable, updateSaved } from '../saved.js';

const STORAGE_NOTE = 'Kept in this browser’s own storage (IndexedDB) on this device only; never uploaded. Clearing the site’s data removes it.';

function fmtBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n >= 1048576) return `${fmtNum(n / 1048576, 1)} MB`;
  if (n >= 1024) return `${fmtNum(n / 1024, 0)} KB`;
  return `${n} bytes`;
}

// A name for a session that has none yet: its room, else its id.
function defaultName(report) {
  const s = arr(report?.sessions)[0];
  if (!s) return 'Untitled session';
  const room = s.room_name || s.room_id;
  return `${room ? `${room} · ` : ''}${s.session_id || 'session'}`;
}

// The form that saves the session shown: name, tags, files or report.
export function saveControls(ctx) {
  if (!ctx?.report || !ctx.saveSession) return null;
  if (!savedAvailable()) return h('p', { class: 'muted' }, 'This browser offers no storage here (private mode?): sessions cannot be saved.');
  const name = h('input', { type: 'text', id: 'save-name', value: ctx.saved?.name || defaultName(ctx.report), maxLength: 200 });
  const tags = h('input', { type: 'text', id: 'save-tags', placeholder: 'e.g. customer-x, escalation' });
  const asFiles = h('input', { type: 'radio', name: 'save-kind', id: 'save-kind-files', value: 'files', checked: ctx.canSaveFiles, disabled: !ctx.canSaveFiles });
  const asReport = h('input', { type: 'radio', name: 'save-kind', id: 'save-kind-report', value: 'report', checked: !ctx.canSaveFiles });
  const status = h('p', { class: 'save-status', role: 'status' }, ctx.saved ? `Shown from “${ctx.saved.name}”, saved on this device.` : '');
  const button = h('button', { type: 'button', class: 'btn secondary', id: 'save-session' }, 'Save');
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Saving…';
    try {
      const saved = await ctx.saveSession({ name: name.value.trim() || defaultName(ctx.report), tags: tags.value, kind: asFiles.checked ? 'files' : 'report' });
      status.textContent = `Saved as “${saved.name}” on this device (${saved.kind === 'files' ? 'its files' : 'its report'}).`;
    } catch (e) {
      status.textContent = `Not saved: ${e?.message || e}`;
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'div',
    { class: 'save-session' },
    h('h3', null, 'Save on this device'),
    h('div', { class: 'filters' }, h('label', { class: 'field', htmlFor: 'save-name' }, h('span', null, 'Name'), name), h('label', { class: 'field', htmlFor: 'save-tags' }, h('span', null, 'Tags (comma-separated)'), tags)),
    h(
      'fieldset',
      { class: 'save-kind' },
      h('legend', null, 'Keep'),
      h('label', { class: 'check', htmlFor: 'save-kind-files' }, asFiles, ' the files (analyzed again when opened, with the settings then in force; charts work)'),
      h('label', { class: 'check', htmlFor: 'save-kind-report' }, asReport, ' the report only (smaller; no charts)'),
    ),
    button,
    status,
    h('p', { class: 'muted hint' }, STORAGE_NOTE, ' ', h('a', { href: '#/landing', class: 'saved-all' }, 'Every saved session')),
    forgetControl(ctx),
  );
}

// The files of the session shown are kept on this device so that a reload
// shows it again (saved.js, "callsight-current"); this forgets them.
function forgetControl(ctx) {
  if (!ctx.forgetCurrent || !ctx.canSaveFiles) return null;
  const status = h('span', { class: 'forget-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'btn link', id: 'forget-current' }, 'Forget it');
  button.addEventListener('click', async () => {
    await ctx.forgetCurrent();
    status.textContent = ' Forgotten: a reload opens the start page.';
  });
  return h('p', { class: 'muted hint' }, 'A reload shows this session again: its files are kept in this browser until other files are opened. ', button, status);
}

// One saved session's row: open, rename, tags, delete (each edit inline).
function savedRow(ctx, item, refresh) {
  const li = h('li', { class: 'saved-item', dataset: { savedId: String(item.id) } });
  const edit = (label, value, apply) => {
    const input = h('input', { type: 'text', value, 'aria-label': label, class: 'saved-edit-input' });
    const ok = h('button', { type: 'button', class: 'btn secondary saved-ok' }, 'OK');
    const cancel = h('button', { type: 'button', class: 'btn link' }, 'Cancel');
    const form = h('div', { class: 'saved-edit' }, input, ' ', ok, ' ', cancel);
    ok.addEventListener('click', async () => {
      await apply(input.value);
      refresh();
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') ok.click();
      if (e.key === 'Escape') cancel.click();
    });
    cancel.addEventListener('click', () => draw());
    li.replaceChildren(form);
    input.focus();
  };
  const draw = () => {
    const tags = arr(item.tags);
    li.replaceChildren(
      h('div', { class: 'saved-main' }, h('strong', { class: 'saved-name' }, item.name), tags.length ? h('span', { class: 'saved-tags' }, tags.map((t) => h('span', { class: 'tag' }, t))) : null),
      h('p', { class: 'muted saved-meta' }, `${item.kind === 'files' ? `${item.fileCount} file${item.fileCount === 1 ? '' : 's'}` : 'report only'} · ${fmtBytes(item.bytes)} · saved ${fmtDateTime(item.saved_ms)}`),
      h(
        'div',
        { class: 'actions saved-actions' },
        h('button', { type: 'button', class: 'btn primary saved-open', 'aria-label': `Open ${item.name}`, disabled: ctx.busy, onClick: () => ctx.openSaved(item.id) }, 'Open'),
        h('button', { type: 'button', class: 'btn secondary saved-rename', 'aria-label': `Rename ${item.name}`, onClick: () => edit(`New name for ${item.name}`, item.name, (v) => updateSaved(item.id, { name: v })) }, 'Rename'),
        h('button', { type: 'button', class: 'btn secondary saved-tag', 'aria-label': `Tags of ${item.name}`, onClick: () => edit(`Tags of ${item.name}, comma-separated`, arr(item.tags).join(', '), (v) => updateSaved(item.id, { tags: v })) }, 'Tags'),
        h('button', { type: 'button', class: 'btn secondary saved-delete', 'aria-label': `Delete ${item.name}`, onClick: confirmDelete }, 'Delete'),
      ),
    );
  };
  function confirmDelete() {
    const yes = h('button', { type: 'button', class: 'btn secondary saved-confirm' }, 'Delete');
    const no = h('button', { type: 'button', class: 'btn link' }, 'Keep it');
    yes.addEventListener('click', async () => {
      await deleteSaved(item.id);
      refresh();
    });
    no.addEventListener('click', () => draw());
    li.replaceChildren(h('p', { role: 'alert' }, `Delete “${item.name}” from this device? `, yes, ' ', no));
    no.focus();
  }
  draw();
  return li;
}

// The landing page's "Saved on this device" list; hidden while there is none
// (reading it never creates the storage).
export function savedListSection(ctx) {
  const list = h('ul', { class: 'saved-list' });
  const status = h('p', { class: 'muted', role: 'status' });
  const card = h('section', { class: 'panel saved-sessions', hidden: true, 'aria-labelledby': 'saved-title' }, h('h2', { id: 'saved-title' }, 'Saved on this device'), status, list, h('p', { class: 'muted hint' }, STORAGE_NOTE));
  const refresh = async () => {
    let items;
    try {
      items = await listSaved();
    } catch (e) {
      card.hidden = false;
      status.textContent = `The saved sessions could not be read: ${e?.message || e}`;
      return;
    }
    card.hidden = items.length === 0;
    status.textContent = `${items.length} saved session${items.length === 1 ? '' : 's'}.`;
    list.replaceChildren(...items.map((item) => savedRow(ctx, item, refresh)));
  };
  if (savedAvailable()) refresh();
  return card;
}
