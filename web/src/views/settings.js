// Settings: thresholds and meeting gap (kept in localStorage once the engine
// accepts them; saving re-analyzes the same files), and the export controls
// (export.js; Overview and Issues show the same).
import { h, section } from '../dom.js';
import { exportSection } from '../export.js';
import { isNum, zoneName } from '../format.js';
import { obj } from '../report.js';

// Threshold fields of the config (core/src/analysis/config.cpp), in display order.
const LEVELS = [
  { key: 'packet_loss_percent', label: 'Packet loss', unit: '%', dir: 'above', applies: 'sent audio and video, received audio' },
  { key: 'rtt_ms', label: 'Round-trip time', unit: 'ms', dir: 'above', applies: 'sent audio and video' },
  { key: 'jitter_ms', label: 'Jitter', unit: 'ms', dir: 'above', applies: 'sent audio' },
  { key: 'video_bitrate_kbps', label: 'Video bitrate', unit: 'kbps', dir: 'below', applies: 'a sent video track, all layers together' },
  { key: 'audio_bitrate_kbps', label: 'Audio bitrate', unit: 'kbps', dir: 'below', applies: 'sent audio (not when muted)' },
  { key: 'fps', label: 'Frame rate', unit: 'fps', dir: 'below', applies: 'sent video, highest sending layer' },
  { key: 'screen_fps', label: 'Screen share frame rate', unit: 'fps', dir: 'below', applies: 'sent screen share' },
  { key: 'concealment_percent', label: 'Audio concealment', unit: '% of samples', dir: 'above', applies: 'received audio' },
];
const SCALARS = [
  { key: 'audio_muted_kbps', label: 'Audio counts as muted below', unit: 'kbps', path: 'thresholds' },
  { key: 'freeze_warning_count', label: 'Freezes for a warning (in one window)', unit: 'freezes', path: 'thresholds' },
  { key: 'freeze_critical_per_10s', label: 'Freeze rate for critical', unit: 'per 10 s', path: 'thresholds' },
  { key: 'freeze_critical_seconds', label: '… sustained for', unit: 's', path: 'thresholds' },
  { key: 'meeting_gap_minutes', label: 'Empty gap that starts a new meeting', unit: 'min', path: '' },
  { key: 'low_mos', label: 'Low audio MOS below', unit: 'MOS', path: '' },
];

function numberInput(id, value, placeholder) {
  return h('input', { type: 'number', id, step: 'any', min: '0', inputmode: 'decimal', value: isNum(value) ? String(value) : '', placeholder: placeholder || 'off' });
}

// The engine's own words in the package's CallsightConfigError message
// ("callsight: config: <ParseConfig's message>").
function engineWords(message) {
  return String(message || '').replace(/^callsight: config: /, '');
}

// The setting an engine message is about: "thresholds.fps: ..." or
// "thresholds.rtt_ms.warning must be ..." name fps and rtt_ms, "low_mos must
// be ..." names low_mos; null when the message names none of the form's.
function refusedKey(message) {
  const m = /^(?:thresholds\.)?([a-z0-9_]+)/.exec(engineWords(message));
  const key = m && m[1];
  return LEVELS.some((l) => l.key === key) || SCALARS.some((sc) => sc.key === key) ? key : null;
}

// The engine's refusal under the row of the field it names; its inputs are
// marked invalid and described by it.
function refusalRow(message, fields) {
  const id = 'settings-refusal';
  for (const el of fields) {
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-describedby', id);
  }
  return h('tr', { class: 'field-error-row' }, h('td', { colspan: '3' }, h('p', { id, class: 'field-error' }, engineWords(message))));
}

// A row per threshold level and per scalar setting, showing the stored value
// (the refused one while the engine's refusal is shown) or else the report's
// (with no report, the engine's reading of the stored settings);
// each input is recorded in `inputs` for collectConfig. The row the refusal
// names is followed by the engine's message.
function settingRows(ctx, inputs) {
  const refused = ctx.state.configError ? refusedKey(ctx.state.configError) : null;
  const withRefusal = (key, row, fields) => (key === refused ? [row, refusalRow(ctx.state.configError, fields)] : row);
  const effective = obj(ctx.report?.config || ctx.state.checkedConfig);
  const stored = obj(ctx.state.configError && ctx.state.refusedConfig ? ctx.state.refusedConfig : ctx.state.config);
  const eff = (path, key) => (path ? obj(effective[path])[key] : effective[key]);
  const sto = (path, key) => (path ? obj(stored[path])[key] : stored[key]);
  const pick = (path, key) => {
    const s = sto(path, key);
    return s !== undefined ? s : eff(path, key);
  };
  const levelRows = LEVELS.map((l) => {
    const cur = obj(pick('thresholds', l.key));
    const w = numberInput(`th-${l.key}-warning`, cur.warning);
    const c = numberInput(`th-${l.key}-critical`, cur.critical);
    inputs.push({ kind: 'level', key: l.key, w, c });
    const row = h(
      'tr',
      null,
      h('th', { scope: 'row' }, l.label, h('div', { class: 'muted small' }, `${l.dir} · ${l.applies}`)),
      h('td', null, h('label', { class: 'visually-hidden', htmlFor: w.id }, `${l.label} warning (${l.unit})`), w, h('span', { class: 'unit' }, ` ${l.unit}`)),
      h('td', null, h('label', { class: 'visually-hidden', htmlFor: c.id }, `${l.label} critical (${l.unit})`), c, h('span', { class: 'unit' }, ` ${l.unit}`)),
    );
    return withRefusal(l.key, row, [w, c]);
  });
  const scalarRows = SCALARS.map((s) => {
    const input = numberInput(`cfg-${s.key}`, pick(s.path, s.key), 'default');
    inputs.push({ kind: 'scalar', key: s.key, path: s.path, input });
    const row = h('tr', null, h('th', { scope: 'row' }, h('label', { htmlFor: input.id }, s.label)), h('td', { colspan: '2' }, input, h('span', { class: 'unit' }, ` ${s.unit}`)));
    return withRefusal(s.key, row, [input]);
  });
  return [levelRows, scalarRows];
}

// The config the inputs say (empty level: off; empty scalar: the default).
function collectConfig(inputs) {
  const cfg = { thresholds: {} };
  for (const it of inputs) {
    if (it.kind === 'level') {
      const val = (el) => (el.value.trim() === '' ? null : Number(el.value));
      cfg.thresholds[it.key] = { warning: val(it.w), critical: val(it.c) };
    } else if (it.input.value.trim() !== '') {
      const v = Number(it.input.value);
      if (it.path) cfg[it.path][it.key] = v;
      else cfg[it.key] = v;
    }
  }
  return cfg;
}

function thresholdsForm(ctx) {
  const inputs = [];
  const rows = settingRows(ctx, inputs);
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  if (ctx.state.configError) {
    status.classList.add('error');
    // Also here, by the Save button, where the eye is (the field may be scrolled away).
    status.textContent = `The engine refused these settings, so nothing was saved: ${engineWords(ctx.state.configError)}`;
  }
  const save = h('button', { type: 'submit', class: 'btn primary', id: 'settings-save' }, ctx.state.files.length ? 'Save and re-analyze' : 'Save');
  // Without a report the form waits for the engine's values (else its empty
  // fields would save every level switched off).
  if (!ctx.report && ctx.state.checkedConfig === null) {
    save.disabled = true;
    ctx.loadCheckedConfig();
  }
  const reset = h('button', { type: 'button', class: 'btn secondary', id: 'settings-reset' }, 'Reset to defaults');
  const form = h(
    'form',
    { class: 'settings-form', novalidate: true },
    h(
      'table',
      { class: 'data settings' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Threshold'), h('th', { scope: 'col' }, '⚠ Warning'), h('th', { scope: 'col' }, '✖ Critical'))),
      h('tbody', null, rows),
    ),
    h('p', { class: 'muted hint' }, 'Leave a level empty to turn it off. The values are kept in this browser only.'),
    h('div', { class: 'actions' }, save, reset),
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const cfg = collectConfig(inputs);
    const bad = inputs.find((it) => (it.kind === 'level' ? [it.w, it.c] : [it.input]).some((el) => el.value.trim() !== '' && !(Number(el.value) >= 0)));
    if (bad) {
      status.className = 'form-status error';
      status.textContent = 'Every value must be a number ≥ 0 (or empty).';
      return;
    }
    status.className = 'form-status';
    status.textContent = ctx.state.files.length ? 'Re-analyzing…' : 'Checking…';
    const ok = await ctx.saveConfig(cfg);
    const s = document.querySelector('.form-status');
    if (ok && s) s.textContent = ctx.state.files.length ? 'Saved; the files were analyzed again with these settings.' : 'Saved; they apply to the next analysis.';
  });
  reset.addEventListener('click', async () => {
    await ctx.saveConfig(null);
    const s = document.querySelector('.form-status');
    if (s) s.textContent = 'Defaults restored.';
  });
  return form;
}

// "UTC+01:00" for the browser's offset from UTC now.
function browserZone() {
  const m = -new Date().getTimezoneOffset();
  if (m === 0) return 'UTC';
  const a = Math.abs(m);
  return `UTC${m < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

// The UTC / local time switch: every time on every page, and the engine's own
// sentences, follow it (the files are analyzed again).
function timesForm(ctx) {
  const local = !!ctx.state.localTime;
  const choice = (value, label) =>
    h('label', { class: 'radio' },
      h('input', { type: 'radio', name: 'time-zone', value, checked: local === (value === 'local'), onChange: () => ctx.setLocalTime(value === 'local') }),
      ` ${label}`);
  return h(
    'fieldset',
    { class: 'times-form' },
    h('legend', null, 'Show times in'),
    choice('utc', 'UTC'),
    choice('local', `Local time of this browser (${browserZone()})`),
    h('p', { class: 'hint muted' }, `Now: ${zoneName()}. Issue details, charts and tables all follow this choice; it is kept on this device. Local time is the browser's offset from UTC today, applied to the whole call.`),
  );
}

export function renderSettings(ctx) {
  return h(
    'div',
    { class: 'view settings' },
    h('div', { class: 'view-head' }, h('h1', null, 'Settings')),
    section('Times', timesForm(ctx)),
    section('Thresholds', thresholdsForm(ctx)),
    exportSection(ctx.report, ctx),
  );
}
