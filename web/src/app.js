// The dashboard: state, hash routing, file intake, analysis through the
// engine's Worker client, and the views. Every view is a function of the report
// (plus the client for chart series); nothing here re-computes the analysis.
// The page around the views is shell.js, the routes routes.js, the intake
// intake.js, the engine run's progress run.js, the notices notices.js.
import { replace } from './dom.js';
import { useLabels, useTimeZone } from './format.js';
import { sampleFiles } from './files.js';
import { readInputs, wireDrop, wirePicker } from './intake.js';
import { engineProgress, mark, transferPayload } from './run.js';
import { noticeItems } from './notices.js';
import { arr, messageText, scopeOf, sessionsOf } from './report.js';
import { DATA_VIEWS, currentRoute, resolveRoute, routeHash } from './routes.js';
import { buildShell, hideProgress, showProgress, updateScope, updateTabs } from './shell.js';
import { forgetCurrent, getSaved, keepCurrent, keptCurrent, saveSession, savedFiles } from './saved.js';
import { loadConfig, loadLocalTime, saveConfig, saveLocalTime } from './store.js';
import { renderView } from './views/index.js';
import { fleetOfFolders, fleetOfTables, isTableDrop, sessionFolders } from './views/fleetdata.js';

export { parseHash } from './routes.js';

export function isInputError(e) {
  return !!e && (e.name === 'CallsightInputError' || (Array.isArray(e.messages) && e.report && typeof e.report === 'object'));
}

export function isConfigError(e) {
  return !!e && e.name === 'CallsightConfigError';
}

function initialState() {
  return {
    client: null,
    clientError: null,
    files: [], // [{file, name}] of the last analysis, to re-analyze on settings change
    report: null,
    fleet: null, // the Fleet view's summary and where it came from (views/fleetdata.js)
    extraMessages: [], // messages of a CallsightInputError not tied to a report input
    fatal: null,
    busy: false,
    sessionIndex: 0,
    meetingIndex: null,
    config: loadConfig(),
    configError: null,
    refusedConfig: null, // the settings the engine refused last, shown with configError
    checkedConfig: null, // without a report: the config in force as the engine echoes it (false: unknown)
    checkingConfig: false,
    showAddresses: false, // config.show_addresses for this page's runs only: never saved, off for new files
    localTime: loadLocalTime(), // times in the browser's zone (config.utc_offset_minutes), else UTC
    lastView: null,
    saved: null, // {id, name, kind} when the session shown is one saved on this device (the hash's saved=)
    reportOnly: false, // the report came from storage without its files: no chart series
    cleanup: [],
  };
}

function errorText(e) {
  return e && e.message ? e.message : String(e);
}

// The running page: its state, the shell's elements, and the steps that
// analyze files, follow the hash and render the view it names.
class App {
  constructor(root, { createClient, InputError, ConfigError }) {
    this.createClient = createClient;
    this.InputError = InputError;
    this.ConfigError = ConfigError;
    this.state = initialState();
    this.shell = buildShell(root, {
      tab: (view) => this.navigate(this.hashFor(view), true),
      session: (index) => this.chooseSession(index),
      meeting: (index) => this.chooseMeeting(index),
      home: () => this.navigate(this.state.report ? this.hashFor('overview') : this.state.fleet ? '#/fleet' : '#/', true),
    });
    const analyze = (list) => this.takeFiles(list);
    wirePicker(this.shell.picker, analyze);
    wirePicker(this.shell.folderPicker, analyze);
    wireDrop(this.shell.overlay, { onFiles: analyze, onEmpty: () => this.showFatal('Nothing to analyze: the drop held no files.') });
    window.addEventListener('hashchange', () => this.render());
  }

  // ------------------------------------------------------------- engine --
  client() {
    if (!this.state.client) {
      try {
        this.state.client = this.createClient();
      } catch (e) {
        this.state.clientError = e;
        throw e;
      }
    }
    return this.state.client;
  }

  // Starts the worker (and its WebAssembly download) early.
  warmUp() {
    try {
      this.client();
    } catch {
      /* reported when the user analyzes */
    }
  }

  // The engine rejected input files (the error carries the report of the rest).
  isRejection(e) {
    return (this.InputError && e instanceof this.InputError) || isInputError(e);
  }

  // The engine refused the configuration.
  isConfigRefusal(e) {
    return (this.ConfigError && e instanceof this.ConfigError) || isConfigError(e);
  }

  // Shows the progress line (bound: handed to the intake and the engine run).
  progress = (text, done, total) => showProgress(this.shell, text, done, total);

  // ----------------------------------------------------------- analysis --
  // Dropped or chosen files: fleet tables or a folder of many sessions open
  // the Fleet view; anything else is analyzed as one drop.
  async takeFiles(list) {
    if (this.state.busy) return;
    if (isTableDrop(list)) return this.analyzeFleet(list, 'tables');
    const folders = sessionFolders(list);
    if (folders) return this.analyzeFleet(list, 'folders', folders);
    this.state.fleet = null;
    return this.analyzeFiles(list);
  }

  // The Fleet view's summary of the tables or of the session folders (each
  // analyzed alone; fewer than two sessions: analyzed as one drop instead).
  async analyzeFleet(list, kind, folders) {
    // A reload shows the landing page again, not the session before the fleet.
    forgetCurrent();
    this.setBusy(true);
    this.state.fatal = null;
    mark('drop');
    let fleet;
    try {
      const run = {
        analyze: async (files) => {
          const inputs = await readInputs(files, () => {});
          return this.client().analyze(transferPayload(inputs), { config: this.state.config || undefined });
        },
        client: () => this.client(),
        isRejection: (e) => this.isRejection(e),
        progress: this.progress,
      };
      fleet = kind === 'tables' ? await fleetOfTables(await readInputs(list, this.progress), run) : await fleetOfFolders(folders, run);
    } catch (e) {
      this.setBusy(false);
      this.showFatal(kind === 'tables' ? `The fleet tables could not be read: ${errorText(e)}` : `The fleet analysis failed: ${errorText(e)}`);
      return;
    }
    this.setBusy(false);
    if (!fleet) {
      this.state.fleet = null;
      return this.analyzeFiles(list);
    }
    this.state.fleet = fleet;
    this.state.report = null;
    this.state.files = [];
    this.navigate('#/fleet', true);
  }

  // A session of the fleet: its folder's files analyzed, that session shown.
  async openFleetSession(sessionId) {
    const files = this.state.fleet?.sessionGroup?.get(sessionId);
    if (!files) return;
    await this.analyzeFiles(files);
    const index = sessionsOf(this.state.report).findIndex((s) => s.session_id === sessionId);
    if (index > 0) this.chooseSession(index);
  }

  async analyzeFiles(list, { keepView = false, saved } = {}) {
    if (this.state.busy) return;
    this.setBusy(true);
    this.state.fatal = null;
    this.state.files = list;
    this.state.reportOnly = false;
    // new files are no saved session; a re-analysis of the shown one still is
    this.state.saved = saved !== undefined ? saved : keepView ? this.state.saved : null;
    if (!keepView) this.state.showAddresses = false;
    mark('drop');
    try {
      const inputs = await readInputs(list, this.progress);
      mark('read-end');
      const result = await this.runEngine(inputs);
      if (result.configError !== undefined) {
        this.state.configError = result.configError;
        this.setBusy(false);
        this.navigate(this.hashFor('settings'));
        return;
      }
      this.acceptReport(result, keepView);
      // New files (not a saved session's): kept for a reload (saved.js).
      if (!keepView && saved === undefined) keepCurrent(list);
      this.setBusy(false);
      this.showReport(keepView);
    } catch (e) {
      this.setBusy(false);
      this.showFatal(`The analysis failed: ${errorText(e)}`);
    }
  }

  setBusy(busy) {
    if (!busy) hideProgress(this.shell);
    this.state.busy = busy;
    document.body.classList.toggle('busy', busy);
  }

  // The engine's report: {report, extra} (extra: the messages of an input error
  // not tied to a report input), or {configError} when it refused the config.
  async runEngine(inputs) {
    try {
      const payload = transferPayload(inputs);
      const report = await this.client().analyze(payload, { config: this.runConfig(), onProgress: engineProgress(this.progress) });
      mark('report-received');
      return { report, extra: [] };
    } catch (e) {
      if (this.isRejection(e) && e.report) return { report: e.report, extra: arr(e.messages).map(messageText) };
      if (this.isConfigRefusal(e)) return { configError: e.message || String(e) };
      throw e;
    }
  }

  // The configuration of a run: the saved settings, with show_addresses while
  // the participant view's switch asks for the addresses.
  runConfig() {
    const { config, showAddresses, localTime } = this.state;
    if (!showAddresses && !localTime) return config || undefined;
    const run = { ...(config || {}) };
    if (showAddresses) run.show_addresses = true;
    // The browser's offset from UTC now (a fixed offset: docs/CONFIG.md).
    if (localTime) run.utc_offset_minutes = -new Date().getTimezoneOffset();
    return run;
  }

  // The UTC / local time switch: saved on this device; the same files are
  // analyzed again so that the engine's sentences follow it too.
  async setLocalTime(local) {
    const { state } = this;
    if (state.busy || !!state.localTime === !!local) return;
    state.localTime = !!local;
    saveLocalTime(state.localTime);
    if (state.files.length) await this.analyzeFiles(state.files, { keepView: true });
    else this.render();
  }

  // The "Show addresses" switch: the same files analyzed again, masked or not.
  async setShowAddresses(show) {
    const { state } = this;
    if (state.busy || !!state.showAddresses === !!show) return;
    state.showAddresses = !!show;
    if (state.files.length) await this.analyzeFiles(state.files, { keepView: true });
  }

  // Keeps the report; the session and meeting stay chosen only when the view
  // is kept and the new report still has them.
  acceptReport({ report, extra }, keepView) {
    const { state } = this;
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
  }

  // New files: stay in the current view (e.g. after a reload), else the overview.
  showReport(keepView) {
    const r = currentRoute();
    if (!sessionsOf(this.state.report).length) this.navigate('#/', true);
    else if (keepView) this.render();
    else this.navigate(this.hashFor(DATA_VIEWS.has(r.view) && r.view !== 'peer' ? r.view : 'overview'), true);
  }

  // ------------------------------------------------------ saved sessions --
  // Saves the session shown on this device (saved.js): its files or its
  // report, with a name and tags; the hash then names it, so a reload opens it.
  async saveCurrent({ name, tags, kind }) {
    const { state } = this;
    if (!state.report) throw new Error('there is no session to save');
    const asFiles = kind === 'files' && state.files.length > 0;
    const id = await saveSession({ name, tags, kind: asFiles ? 'files' : 'report', files: state.files, report: state.report, config: state.config });
    state.saved = { id, name, kind: asFiles ? 'files' : 'report' };
    const r = currentRoute();
    history.replaceState(null, '', this.hashFor(r.view, r.arg, r.params));
    return state.saved;
  }

  // Opens a saved session: its files analyzed again (with the settings in
  // force), or its report as it was. keepView: stay on the hash's view (a reload).
  async openSaved(id, { keepView = false } = {}) {
    const { state } = this;
    if (state.busy) return;
    let record;
    try {
      record = await getSaved(id);
    } catch (e) {
      return this.showFatal(`The saved session could not be read: ${errorText(e)}`);
    }
    if (!record) return this.showFatal('That saved session is no longer on this device.');
    const saved = { id: record.id, name: record.name, kind: record.kind };
    state.fleet = null;
    if (record.kind === 'files') return this.analyzeFiles(savedFiles(record), { keepView, saved });
    state.fatal = null;
    state.files = [];
    state.showAddresses = false;
    this.acceptReport({ report: record.report, extra: [] }, keepView);
    state.saved = saved;
    state.reportOnly = true;
    this.showReport(keepView);
  }

  async loadSample() {
    try {
      this.progress('Loading the sample session…');
      const list = await sampleFiles();
      hideProgress(this.shell);
      await this.analyzeFiles(list);
    } catch (e) {
      hideProgress(this.shell);
      this.showFatal(errorText(e));
    }
  }

  // Applies new settings once the engine accepts them: re-analyzes the same
  // files (with none, the engine only checks them) and keeps them in
  // localStorage. A refusal keeps the settings in force; Settings shows the
  // engine's message beside the refused values (state.refusedConfig).
  async applySettings(cfg) {
    const { state } = this;
    const previous = state.config;
    state.config = cfg;
    state.configError = null;
    state.refusedConfig = null;
    if (state.files.length) {
      await this.analyzeFiles(state.files, { keepView: true });
    } else {
      const checked = await this.checkConfig(cfg);
      state.configError = checked.error ?? null;
      if (!checked.error) state.checkedConfig = checked.config;
    }
    if (state.configError) {
      state.config = previous;
      state.refusedConfig = cfg;
      this.render();
      return false;
    }
    saveConfig(cfg);
    if (!state.files.length) this.render();
    return true;
  }

  // The engine's reading of cfg without files (an analysis of none checks the
  // config first): {config} as a report echoes it (null when the engine could
  // not say), or {error}, the engine's refusal.
  async checkConfig(cfg) {
    try {
      const report = await this.client().analyze([], { config: cfg || undefined });
      return { config: report?.config ?? null };
    } catch (e) {
      return this.isConfigRefusal(e) ? { error: e.message || String(e) } : { config: null };
    }
  }

  // Settings without a report: the settings in force as the engine reads them
  // (its defaults for what is not set), asked once; Settings is drawn again.
  async loadCheckedConfig() {
    const { state } = this;
    if (state.report || state.checkedConfig !== null || state.checkingConfig) return;
    state.checkingConfig = true;
    const checked = await this.checkConfig(state.config);
    state.checkingConfig = false;
    state.checkedConfig = checked.config || false;  // false: asked, no answer
    if (checked.error) state.configError = checked.error;
    if (document.body.dataset.view === 'settings') this.render();
  }

  showFatal(text) {
    this.state.fatal = text;
    this.render();
  }

  // ------------------------------------------------------------ routing --
  // The hash of a view in the chosen session and meeting.
  hashFor = (view, arg, params) => routeHash(view, arg, params, this.state);

  navigate(hash, focusMain) {
    this.state.focusMain = !!focusMain;
    if (location.hash === hash) this.render();
    else location.hash = hash;
  }

  chooseSession(index) {
    this.state.sessionIndex = index;
    this.state.meetingIndex = null;
    const view = currentRoute().view;
    this.navigate(this.hashFor(view === 'peer' ? 'overview' : view || 'overview'));
  }

  chooseMeeting(index) {
    this.state.meetingIndex = index;
    const r = currentRoute();
    this.navigate(this.hashFor(r.view || 'overview', r.arg, r.params));
  }

  // ---------------------------------------------------------- rendering --
  render = () => {
    this.runCleanups();
    const route = currentRoute();
    const { sessions, session, meeting, view, sessionIndex, meetingIndex } = resolveRoute(route, this.state.report, this.state.sessionIndex, !!this.state.fleet);
    this.state.sessionIndex = sessionIndex;
    this.state.meetingIndex = meetingIndex;
    // The engine's labels of what is shown (a report's and a fleet summary's are the same table).
    useLabels(this.state.report?.labels || this.state.fleet?.summary?.labels);
    useTimeZone(this.state.report);
    this.updateChrome(view, session, sessions);
    replace(this.shell.main, renderView(view, this.viewContext(route, session, meeting)));
    this.settle(view);
  };

  runCleanups() {
    for (const fn of this.state.cleanup.splice(0)) {
      try {
        fn();
      } catch {
        /* ignore */
      }
    }
  }

  // The header: tabs, the session and meeting pickers, the notices.
  updateChrome(view, session, sessions) {
    document.body.dataset.view = view;
    updateTabs(this.shell, view, !!session, !!this.state.fleet);
    updateScope(this.shell, session, sessions, this.state);
    replace(this.shell.notices, noticeItems(this.state));
  }

  // What every view is given.
  viewContext(route, session, meeting) {
    const { state, shell } = this;
    return {
      report: state.report,
      saved: state.saved,
      session,
      meeting,
      scope: session ? scopeOf(session, meeting) : null,
      route,
      state,
      client: () => {
        if (state.reportOnly) throw new Error('this session was saved as its report only, without the files its charts are drawn from');
        return this.client();
      },
      saveSession: (opts) => this.saveCurrent(opts),
      forgetCurrent: () => forgetCurrent(),
      openSaved: (id) => this.openSaved(id),
      canSaveFiles: state.files.length > 0,
      navigate: (v, arg, params) => this.navigate(this.hashFor(v, arg, params), true),
      hashFor: this.hashFor,
      onCleanup: (fn) => state.cleanup.push(fn),
      openPicker: () => shell.picker.click(),
      openFolder: () => shell.folderPicker.click(),
      loadSample: () => this.loadSample(),
      busy: state.busy,
      saveConfig: (cfg) => this.applySettings(cfg),
      loadCheckedConfig: () => this.loadCheckedConfig(),
      setShowAddresses: (show) => this.setShowAddresses(show),
      setLocalTime: (local) => this.setLocalTime(local),
      openFleetSession: (id) => this.openFleetSession(id),
      rerender: this.render,
    };
  }

  // The page title from the view's heading; focus and scroll on a new view.
  settle(view) {
    const { state, shell } = this;
    if (state.report) mark('rendered');
    const title = shell.main.querySelector('h1');
    document.title = `${title ? title.textContent + ' — ' : ''}callsight`;
    if (state.focusMain || state.lastView !== view) {
      if (state.focusMain) shell.main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    state.focusMain = false;
    state.lastView = view;
  }
}

// Builds the page in root and shows the view the location's hash names.
// createClient() makes the engine's Worker client; InputError and ConfigError
// are its error classes (errors are also recognised by name).
export function startApp(root, { createClient, InputError, ConfigError } = {}) {
  const app = new App(root, { createClient, InputError, ConfigError });
  app.warmUp();
  app.render();
  // A reload of a saved session's page opens it again, on the same view.
  const savedId = Number(currentRoute().params.get('saved'));
  if (Number.isInteger(savedId) && savedId > 0) app.openSaved(savedId, { keepView: true });
  // Else a reload (not a new tab or link) of a session's view shows the
  // session that was being viewed (its files kept by saved.js) on that view;
  // a reload of the start page stays there.
  else if (performance.getEntriesByType?.('navigation')?.[0]?.type === 'reload' && DATA_VIEWS.has(currentRoute().view)) {
    keptCurrent().then((files) => {
      if (files && !app.state.files.length && !app.state.busy && !app.state.fleet) app.analyzeFiles(files, { keepView: true });
    });
  }
  return { state: app.state, analyzeFiles: (list, opts) => app.analyzeFiles(list, opts), takeFiles: (list) => app.takeFiles(list), render: app.render };
}
