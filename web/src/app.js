// The dashboard shell: state, hash routing, file intake, analysis through the
// engine's Worker client, and the views. Every view is a function of the report
// (plus the client for chart series); nothing here re-computes the analysis.
import { h, replace } from './dom.js';
import { fmtDate, fmtNum, fmtTime, shortId } from './format.js';
import { filesFromDataTransfer, filesFromInput, readFiles, sampleFiles } from './files.js';
import { arr, messageText, rejectedInputs, repairedInputs, scopeOf, sessionsOf } from './report.js';
import { loadConfig, saveConfig } from './store.js';
import { renderLanding } from './views/landing.js';
import { renderOverview } from './views/overview.js';
import { renderPeers } from './views/peers.js';
import { renderPeer } from './views/peer.js';
import { renderIssues } from './views/issues.js';
import { renderCompare } from './views/compare.js';
import { renderErrors } from './views/errors.js';
import { renderSettings } from './views/settings.js';

const TABS = [
  { view: 'overview', label: 'Overview' },
  { view: 'peers', label: 'Participants' },
  { view: 'issues', label: 'Issues' },
  { view: 'compare', label: 'Sender vs receiver' },
  { view: 'errors', label: 'Errors' },
  { view: 'settings', label: 'Settings' },
];
const DATA_VIEWS = new Set(['overview', 'peers', 'peer', 'issues', 'compare', 'errors']);

export function parseHash(hash) {
  const raw = String(hash || '').replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const pathPart = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const [view, ...rest] = pathPart.split('/');
  let arg = rest.join('/');
  try {
    arg = decodeURIComponent(arg);
  } catch {
    /* keep as is */
  }
  return { view: view || '', arg, params };
}

export function isInputError(e) {
  return !!e && (e.name === 'CallsightInputError' || (Array.isArray(e.messages) && e.report && typeof e.report === 'object'));
}

export function isConfigError(e) {
  return !!e && e.name === 'CallsightConfigError';
}

export function startApp(root, { createClient, InputError, ConfigError } = {}) {
  const state = {
    client: null,
    clientError: null,
    files: [], // [{file, name}] of the last analysis, to re-analyze on settings change
    report: null,
    extraMessages: [], // messages of a CallsightInputError not tied to a report input
    fatal: null,
    busy: false,
    sessionIndex: 0,
    meetingIndex: null,
    config: loadConfig(),
    configError: null,
    lastView: null,
    cleanup: [],
  };

  const inputError = (e) => (InputError && e instanceof InputError) || isInputError(e);
  const configError = (e) => (ConfigError && e instanceof ConfigError) || isConfigError(e);

  // ---------------------------------------------------------------- shell --
  const picker = h('input', { type: 'file', multiple: true, class: 'visually-hidden', id: 'file-input', 'aria-label': 'Choose export files', tabindex: '-1' });
  const folderPicker = h('input', { type: 'file', multiple: true, class: 'visually-hidden', id: 'folder-input', 'aria-label': 'Choose a folder of export files', tabindex: '-1' });
  folderPicker.setAttribute('webkitdirectory', '');
  picker.addEventListener('change', () => {
    const list = filesFromInput(picker);
    picker.value = '';
    if (list.length) analyzeFiles(list);
  });
  folderPicker.addEventListener('change', () => {
    const list = filesFromInput(folderPicker);
    folderPicker.value = '';
    if (list.length) analyzeFiles(list);
  });

  const tabButtons = new Map();
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Views' });
  for (const t of TABS) {
    const b = h('button', { type: 'button', class: 'tab', dataset: { view: t.view }, onClick: () => navigate(hashFor(t.view), true) }, t.label);
    tabButtons.set(t.view, b);
    nav.append(b);
  }
  const sessionSelect = h('select', { id: 'session-select', 'aria-label': 'Session' });
  sessionSelect.addEventListener('change', () => {
    state.sessionIndex = Number(sessionSelect.value) || 0;
    state.meetingIndex = null;
    navigate(hashFor(currentRoute().view === 'peer' ? 'overview' : currentRoute().view || 'overview'));
  });
  const meetingSelect = h('select', { id: 'meeting-select', 'aria-label': 'Meeting' });
  meetingSelect.addEventListener('change', () => {
    state.meetingIndex = meetingSelect.value === '' ? null : Number(meetingSelect.value);
    const r = currentRoute();
    navigate(hashFor(r.view || 'overview', r.arg, r.params));
  });
  const sessionLabel = h('label', { class: 'scope-field', htmlFor: 'session-select' }, h('span', null, 'Session'), sessionSelect);
  const meetingLabel = h('label', { class: 'scope-field', htmlFor: 'meeting-select' }, h('span', null, 'Meeting'), meetingSelect);
  const newButton = h('button', { type: 'button', class: 'btn secondary', onClick: () => picker.click(), title: 'Analyze other files (or drop them anywhere)' }, 'Open files…');
  const printButton = h('button', { type: 'button', class: 'btn secondary', onClick: () => window.print(), title: 'Print this view' }, 'Print');
  const scopeBar = h('div', { class: 'scope' }, sessionLabel, meetingLabel, newButton, printButton);

  const brand = h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◉'), ' callsight');
  brand.addEventListener('click', (e) => {
    e.preventDefault();
    navigate(state.report ? hashFor('overview') : '#/', true);
  });
  const header = h('header', { class: 'topbar' }, brand, nav, scopeBar);

  const progressLabel = h('span', { class: 'progress-label' });
  const progressBar = h('progress', { max: '1', 'aria-label': 'Analysis progress' });
  const progressBox = h('div', { class: 'progress', role: 'status', 'aria-live': 'polite', hidden: true }, progressLabel, progressBar);
  const notices = h('div', { class: 'notices' });
  const main = h('main', { id: 'main', tabindex: '-1' });
  const overlay = h('div', { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' }, h('div', { class: 'drop-overlay-inner' }, 'Drop files or folders to analyze them'));
  const footer = h('footer', { class: 'footer' }, 'callsight — post-call quality analysis in your browser. Files never leave this page.');
  replace(root, h('a', { class: 'skip-link', href: '#main', onClick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'), header, progressBox, notices, main, footer, overlay, picker, folderPicker);

  // ------------------------------------------------------------ drag/drop --
  let dragDepth = 0;
  const hasFiles = (e) => !!e.dataTransfer && [...(e.dataTransfer.types || [])].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) overlay.hidden = true;
  });
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    dragDepth = 0;
    overlay.hidden = true;
    if (!e.dataTransfer) return;
    const list = await filesFromDataTransfer(e.dataTransfer);
    if (list.length) analyzeFiles(list);
    else showFatal('Nothing to analyze: the drop held no files.');
  });

  // --------------------------------------------------------------- engine --
  function client() {
    if (!state.client) {
      try {
        state.client = createClient();
      } catch (e) {
        state.clientError = e;
        throw e;
      }
    }
    return state.client;
  }
  // Start the worker (and its WebAssembly download) early.
  try {
    client();
  } catch {
    /* reported when the user analyzes */
  }

  function setProgress(text, done, total) {
    progressBox.hidden = false;
    progressLabel.textContent = text;
    if (Number.isFinite(done) && Number.isFinite(total) && total > 0) {
      progressBar.max = total;
      progressBar.value = Math.min(done, total);
    } else {
      progressBar.removeAttribute('value');
    }
  }
  function hideProgress() {
    progressBox.hidden = true;
  }

  function showFatal(text) {
    state.fatal = text;
    render();
  }

  async function analyzeFiles(list, { keepView = false } = {}) {
    if (state.busy) return;
    state.busy = true;
    state.fatal = null;
    state.files = list;
    document.body.classList.add('busy');
    const mb = (n) => `${fmtNum(n / 1048576, 1)} MB`;
    // Phases for scripts/bench (performance marks; no effect on the page).
    const mark = (name) => performance.mark(`callsight:${name}`);
    mark('drop');
    try {
      setProgress(`Reading ${list.length} file${list.length === 1 ? '' : 's'}…`, 0, 1);
      const inputs = await readFiles(list, (done, total, name) =>
        setProgress(name ? `Reading ${name} (${mb(done)} of ${mb(total)})` : `Read ${mb(total)}`, done, total),
      );
      mark('read-end');
      let engineStarted = false;
      let report = null;
      let extra = [];
      const onProgress = (p) => {
        if (!p) return;
        if (!engineStarted) {
          engineStarted = true;
          mark('engine-start');
        }
        if (p.phase === 'analyzing') mark('engine-analyzing');
        const files = p.filesTotal ? ` (${Math.min(p.filesDone + 1, p.filesTotal)} of ${p.filesTotal} files)` : '';
        if (p.phase === 'analyzing') setProgress('Analyzing…');
        else if (p.phase === 'done') setProgress('Rendering…', 1, 1);
        else setProgress(`${p.phase === 'reading' ? 'Reading' : 'Parsing'} ${p.file || ''}${files}`, p.bytesDone, p.bytesTotal);
      };
      try {
        // Whole buffers are transferred to the worker (no copy); re-analysis reads the files again.
        const payload = inputs.map((f) => ({ name: f.name, data: f.data.byteLength === f.data.buffer.byteLength ? f.data.buffer : f.data }));
        report = await client().analyze(payload, { config: state.config || undefined, onProgress });
        mark('report-received');
      } catch (e) {
        if (inputError(e) && e.report) {
          report = e.report;
          extra = arr(e.messages).map(messageText);
        } else if (configError(e)) {
          state.configError = e.message || String(e);
          hideProgress();
          state.busy = false;
          document.body.classList.remove('busy');
          navigate(hashFor('settings'));
          return;
        } else {
          throw e;
        }
      }
      state.configError = null;
      state.report = report;
      state.extraMessages = extra;
      state.sessionIndex = Math.min(state.sessionIndex, Math.max(0, sessionsOf(report).length - 1));
      if (!keepView) {
        state.sessionIndex = 0;
        state.meetingIndex = null;
      }
      const meetings = arr(sessionsOf(report)[state.sessionIndex]?.meetings);
      if (!meetings.some((m) => m.index === state.meetingIndex)) state.meetingIndex = null;
      hideProgress();
      state.busy = false;
      document.body.classList.remove('busy');
      const r = currentRoute();
      if (!sessionsOf(report).length) navigate('#/', true);
      else if (keepView) render();
      // New files: stay in the current view (e.g. after a reload), else the overview.
      else navigate(hashFor(DATA_VIEWS.has(r.view) && r.view !== 'peer' ? r.view : 'overview'), true);
    } catch (e) {
      hideProgress();
      state.busy = false;
      document.body.classList.remove('busy');
      showFatal(`The analysis failed: ${e && e.message ? e.message : String(e)}`);
    }
  }

  async function loadSample() {
    try {
      setProgress('Loading the sample session…');
      const list = await sampleFiles();
      hideProgress();
      await analyzeFiles(list);
    } catch (e) {
      hideProgress();
      showFatal(e && e.message ? e.message : String(e));
    }
  }

  // -------------------------------------------------------------- routing --
  function currentRoute() {
    return parseHash(location.hash);
  }

  function hashFor(view, arg, params) {
    const p = new URLSearchParams(params || '');
    p.delete('s');
    p.delete('m');
    if (state.sessionIndex) p.set('s', String(state.sessionIndex));
    if (state.meetingIndex !== null) p.set('m', String(state.meetingIndex));
    const q = p.toString();
    return `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ''}${q ? `?${q}` : ''}`;
  }

  function navigate(hash, focusMain) {
    state.focusMain = !!focusMain;
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  window.addEventListener('hashchange', () => render());

  // --------------------------------------------------------------- render --
  function updateScope(session, sessions) {
    replace(sessionSelect, sessions.map((s, i) => h('option', { value: String(i), selected: i === state.sessionIndex }, `${shortId(s.session_id)} · ${fmtDate(s.start_ms)} ${fmtTime(s.start_ms).slice(0, 5)}`)));
    sessionLabel.hidden = sessions.length < 2;
    const meetings = arr(session?.meetings);
    replace(
      meetingSelect,
      h('option', { value: '', selected: state.meetingIndex === null }, meetings.length > 1 ? `All ${meetings.length} meetings` : 'Whole session'),
      meetings.map((m) => h('option', { value: String(m.index), selected: state.meetingIndex === m.index }, `Meeting ${m.index + 1} · ${fmtTime(m.start_ms)}–${fmtTime(m.end_ms)}`)),
    );
    meetingLabel.hidden = meetings.length < 2;
    scopeBar.hidden = false;
  }

  function renderNotices() {
    const report = state.report;
    const items = [];
    if (state.fatal) items.push(h('div', { class: 'notice error', role: 'alert' }, h('strong', null, 'Error: '), state.fatal));
    if (report) {
      const rejected = rejectedInputs(report);
      const repaired = repairedInputs(report);
      const seen = new Set();
      const fileItems = [];
      for (const inp of rejected) {
        const msgs = arr(inp.messages).map(messageText);
        msgs.forEach((m) => seen.add(m));
        fileItems.push(h('li', { class: 'rejected-file' }, h('strong', null, inp.name), ' — rejected', h('ul', null, msgs.map((m) => h('li', { class: 'input-message' }, m)))));
      }
      const extra = state.extraMessages.filter((m) => m && !seen.has(m));
      for (const m of extra) fileItems.push(h('li', { class: 'input-message' }, m));
      if (fileItems.length) {
        items.push(
          h(
            'div',
            { class: 'notice error', role: 'alert', id: 'rejected-files' },
            h('strong', null, `${rejected.length || extra.length} file${(rejected.length || extra.length) === 1 ? ' was' : 's were'} rejected`),
            sessionsOf(report).length ? ' — the other files were analyzed.' : ' — no session could be built from the files.',
            h('ul', null, fileItems),
          ),
        );
      }
      if (repaired.length) {
        items.push(
          h(
            'details',
            { class: 'notice warning' },
            h('summary', null, `${repaired.length} file${repaired.length === 1 ? ' was' : 's were'} repaired with warnings`),
            h('ul', null, repaired.map((inp) => h('li', null, h('strong', null, inp.name), h('ul', null, arr(inp.messages).map((m) => h('li', null, messageText(m))))))),
          ),
        );
      }
      if (report.error) items.push(h('div', { class: 'notice error', role: 'alert' }, `The report could not be built: ${report.error}`));
    }
    replace(notices, items);
  }

  function runCleanups() {
    for (const fn of state.cleanup.splice(0)) {
      try {
        fn();
      } catch {
        /* ignore */
      }
    }
  }

  // The session, meeting (by the report's meetings[].index) and view the route asks for.
  function resolveRoute(route) {
    const s = Number(route.params.get('s'));
    const m = route.params.get('m');
    const sessions = sessionsOf(state.report);
    if (Number.isInteger(s) && s >= 0 && s < sessions.length) state.sessionIndex = s;
    const session = sessions[state.sessionIndex] || null;
    const meeting = m !== null && m !== '' ? arr(session?.meetings).find((x) => String(x.index) === m) || null : null;
    state.meetingIndex = meeting ? meeting.index : null;
    let view = route.view;
    if (!session && view !== 'settings') view = 'landing';
    if (view === '' || !(DATA_VIEWS.has(view) || view === 'settings' || view === 'landing')) view = session ? 'overview' : 'landing';
    return { sessions, session, meeting, view };
  }

  // The header: tabs, the session and meeting pickers, the notices.
  function updateChrome(view, session, sessions) {
    document.body.dataset.view = view;
    header.classList.toggle('no-report', !session);
    for (const [v, b] of tabButtons) {
      const active = v === view || (v === 'peers' && view === 'peer');
      b.classList.toggle('active', active);
      if (active) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
      b.hidden = !session && v !== 'settings';
    }
    if (session) updateScope(session, sessions);
    else scopeBar.hidden = true;
    renderNotices();
  }

  // What every view is given.
  function viewContext(route, session, meeting) {
    return {
      report: state.report,
      session,
      meeting,
      scope: session ? scopeOf(session, meeting) : null,
      route,
      state,
      client: () => client(),
      navigate: (v, arg, params) => navigate(hashFor(v, arg, params), true),
      hashFor,
      onCleanup: (fn) => state.cleanup.push(fn),
      openPicker: () => picker.click(),
      openFolder: () => folderPicker.click(),
      loadSample,
      busy: state.busy,
      // Applies new settings: re-analyzes the same files, and keeps them in
      // localStorage unless the engine refuses them (the error is shown instead).
      saveConfig: async (cfg) => {
        state.config = cfg;
        state.configError = null;
        if (state.files.length) {
          await analyzeFiles(state.files, { keepView: true });
          if (state.configError) return false;
        }
        saveConfig(cfg);
        if (!state.files.length) render();
        return true;
      },
      rerender: render,
    };
  }

  const VIEWS = {
    landing: (ctx) => renderLanding(ctx),
    overview: (ctx) => renderOverview(ctx),
    peers: (ctx) => renderPeers(ctx),
    peer: (ctx) => renderPeer(ctx, ctx.route.arg),
    issues: (ctx) => renderIssues(ctx),
    compare: (ctx) => renderCompare(ctx),
    errors: (ctx) => renderErrors(ctx),
    settings: (ctx) => renderSettings(ctx),
  };

  function viewContent(view, ctx) {
    try {
      return (VIEWS[view] || VIEWS.landing)(ctx);
    } catch (e) {
      console.error(e);
      return h('section', { class: 'panel' }, h('h1', null, 'This view could not be shown'), h('p', null, String(e && e.message ? e.message : e)));
    }
  }

  // The page title from the view's heading; focus and scroll on a new view.
  function settle(view) {
    if (state.report) performance.mark('callsight:rendered');
    const title = main.querySelector('h1');
    document.title = `${title ? title.textContent + ' — ' : ''}callsight`;
    if (state.focusMain || state.lastView !== view) {
      if (state.focusMain) main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    state.focusMain = false;
    state.lastView = view;
  }

  function render() {
    runCleanups();
    const route = currentRoute();
    const { sessions, session, meeting, view } = resolveRoute(route);
    updateChrome(view, session, sessions);
    replace(main, viewContent(view, viewContext(route, session, meeting)));
    settle(view);
  }

  render();
  return { state, analyzeFiles, render };
}
