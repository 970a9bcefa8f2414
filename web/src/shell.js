// The page around the views: the header (brand, tabs, session and meeting
// pickers), the progress line, the notices, <main>, the footer, the drop
// overlay and the hidden file inputs. buildShell makes them once; the other
// functions update them for the view being shown.
import { h, replace } from './dom.js';
import { fmtDate, fmtTime, shortId } from './format.js';
import { arr } from './report.js';

// The Fleet tab is in the bar only while a fleet summary is kept (updateTabs).
const FLEET_TAB = { view: 'fleet', label: 'Fleet' };
const TABS = [
  { view: 'overview', label: 'Overview' },
  { view: 'peers', label: 'Participants' },
  { view: 'issues', label: 'Issues' },
  { view: 'compare', label: 'Sender vs receiver' },
  { view: 'errors', label: 'Errors' },
  { view: 'settings', label: 'Settings' },
];

function filePickers() {
  const picker = h('input', { type: 'file', multiple: true, class: 'visually-hidden', id: 'file-input', 'aria-label': 'Choose export files', tabindex: '-1' });
  const folderPicker = h('input', { type: 'file', multiple: true, class: 'visually-hidden', id: 'folder-input', 'aria-label': 'Choose a folder of export files', tabindex: '-1' });
  folderPicker.setAttribute('webkitdirectory', '');
  return { picker, folderPicker };
}

// One button per view; on.tab(view) when clicked.
function tabBar(on) {
  const tabButtons = new Map();
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Views' });
  for (const t of [FLEET_TAB, ...TABS]) {
    const b = h('button', { type: 'button', class: 'tab', dataset: { view: t.view }, onClick: () => on.tab(t.view) }, t.label);
    tabButtons.set(t.view, b);
    if (t !== FLEET_TAB) nav.append(b);
  }
  return { nav, tabButtons };
}

// The session and meeting pickers, "Open files…" and "Print".
function scopeBar(on, picker) {
  const sessionSelect = h('select', { id: 'session-select', 'aria-label': 'Session' });
  sessionSelect.addEventListener('change', () => on.session(Number(sessionSelect.value) || 0));
  const meetingSelect = h('select', { id: 'meeting-select', 'aria-label': 'Meeting' });
  meetingSelect.addEventListener('change', () => on.meeting(meetingSelect.value === '' ? null : Number(meetingSelect.value)));
  const sessionLabel = h('label', { class: 'scope-field', htmlFor: 'session-select' }, h('span', null, 'Session'), sessionSelect);
  const meetingLabel = h('label', { class: 'scope-field', htmlFor: 'meeting-select' }, h('span', null, 'Meeting'), meetingSelect);
  const newButton = h('button', { type: 'button', class: 'btn secondary', onClick: () => picker.click(), title: 'Analyze other files (or drop them anywhere)' }, 'Open files…');
  const printButton = h('button', { type: 'button', class: 'btn secondary', onClick: () => window.print(), title: 'Print this view' }, 'Print');
  const scopeBar = h('div', { class: 'scope' }, sessionLabel, meetingLabel, newButton, printButton);
  return { scopeBar, sessionSelect, meetingSelect, sessionLabel, meetingLabel };
}

function brandLink(on) {
  const brand = h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◉'), ' callsight');
  brand.addEventListener('click', (e) => {
    e.preventDefault();
    on.home();
  });
  return brand;
}

function progressLine() {
  const progressLabel = h('span', { class: 'progress-label' });
  const progressBar = h('progress', { max: '1', 'aria-label': 'Analysis progress' });
  const progressBox = h('div', { class: 'progress', role: 'status', 'aria-live': 'polite', hidden: true }, progressLabel, progressBar);
  return { progressBox, progressLabel, progressBar };
}

// The narrow header's menu button: at 900 px and less (style.css) the tabs and
// the scope bar fold into one panel it opens and closes (Escape and choosing
// a tab close it too). Wide screens never show the button.
function headerMenu(header, panel) {
  const button = h('button', { type: 'button', class: 'menu-button', 'aria-expanded': 'false', 'aria-controls': 'header-menu' }, h('span', { 'aria-hidden': 'true' }, '☰ '), 'Menu');
  const set = (open) => {
    header.classList.toggle('menu-open', open);
    button.setAttribute('aria-expanded', String(open));
  };
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    set(false);
    button.focus();
  });
  panel.addEventListener('click', (e) => {
    if (e.target.closest('.tab')) set(false);
  });
  return { button, close: () => set(false) };
}

// Fills root with the page; `on` receives the header's choices:
// tab(view), session(index), meeting(index or null), home().
export function buildShell(root, on) {
  const { picker, folderPicker } = filePickers();
  const { nav, tabButtons } = tabBar(on);
  const scope = scopeBar(on, picker);
  const panel = h('div', { class: 'header-menu', id: 'header-menu' }, nav, scope.scopeBar);
  const header = h('header', { class: 'topbar' }, brandLink(on));
  const menu = headerMenu(header, panel);
  const current = h('span', { class: 'current-view', 'aria-hidden': 'true' });
  header.append(current, menu.button, panel);
  const progress = progressLine();
  const notices = h('div', { class: 'notices' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const overlay = h('div', { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' }, h('div', { class: 'drop-overlay-inner' }, 'Drop files or folders to analyze them'));
  // The file inputs are hidden; they sit in the footer so every node is in a landmark.
  const footer = h('footer', { class: 'footer' }, 'callsight — post-call quality analysis in your browser. Files never leave this page.', picker, folderPicker);
  const status = h('section', { class: 'page-status', 'aria-label': 'Analysis status' }, progress.progressBox, notices);
  const skip = h('a', { class: 'skip-link', href: '#main', onClick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content');
  replace(root, skip, header, status, main, footer, overlay);
  return { header, nav, tabButtons, menu, current, ...scope, ...progress, notices, main, overlay, picker, folderPicker };
}

// Shows the progress line: a bar of done/total, or a moving bar without them.
export function showProgress(shell, text, done, total) {
  shell.progressBox.hidden = false;
  shell.progressLabel.textContent = text;
  if (Number.isFinite(done) && Number.isFinite(total) && total > 0) {
    shell.progressBar.max = total;
    shell.progressBar.value = Math.min(done, total);
  } else {
    shell.progressBar.removeAttribute('value');
  }
}

export function hideProgress(shell) {
  shell.progressBox.hidden = true;
}

// Marks the view's tab as the current page; without a session only Settings
// shows (and Fleet, shown whenever a fleet summary is kept).
export function updateTabs(shell, view, hasSession, hasFleet = false) {
  shell.header.classList.toggle('no-report', !hasSession && !hasFleet);
  shell.menu.close();
  shell.current.textContent = '';
  for (const [v, b] of shell.tabButtons) {
    const active = v === view || (v === 'peers' && view === 'peer');
    if (active) shell.current.textContent = b.textContent;
    b.classList.toggle('active', active);
    if (active) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
    b.hidden = !hasSession && v !== 'settings';
  }
  const fleetTab = shell.tabButtons.get(FLEET_TAB.view);
  fleetTab.hidden = false;
  if (hasFleet && !fleetTab.isConnected) shell.nav.prepend(fleetTab);
  else if (!hasFleet) fleetTab.remove();
}

// Fills the session and meeting pickers (each shown only when there is a
// choice); without a session the scope bar hides.
export function updateScope(shell, session, sessions, { sessionIndex, meetingIndex }) {
  if (!session) {
    shell.scopeBar.hidden = true;
    return;
  }
  replace(shell.sessionSelect, sessions.map((s, i) => h('option', { value: String(i), selected: i === sessionIndex }, `${shortId(s.session_id)} · ${fmtDate(s.start_ms)} ${fmtTime(s.start_ms).slice(0, 5)}`)));
  shell.sessionLabel.hidden = sessions.length < 2;
  const meetings = arr(session.meetings);
  replace(
    shell.meetingSelect,
    h('option', { value: '', selected: meetingIndex === null }, meetings.length > 1 ? `All ${meetings.length} meetings` : 'Whole session'),
    meetings.map((m) => h('option', { value: String(m.index), selected: meetingIndex === m.index }, `Meeting ${m.index + 1} · ${fmtTime(m.start_ms)}–${fmtTime(m.end_ms)}`)),
  );
  shell.meetingLabel.hidden = meetings.length < 2;
  shell.scopeBar.hidden = false;
}
