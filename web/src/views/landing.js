// Landing: the whole page is a drop zone; a file picker, a folder picker and the
// bundled sample session; which files it reads (100ms exports, browser stats
// dumps; the fleet tables and folders of many sessions); the promise that files never leave the browser;
// the sessions saved on this device.
import { h } from '../dom.js';
import { savedListSection } from './savedui.js';

export function renderLanding(ctx) {
  const busy = ctx.busy;
  return h(
    'div',
    { class: 'landing' },
    h(
      'section',
      { class: 'dropzone', 'aria-labelledby': 'landing-title' },
      h('div', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇩'),
      h('h1', { id: 'landing-title' }, 'Analyze a finished call'),
      h(
        'p',
        { class: 'lead' },
        'Drop the JSON exports of a 100ms session — peer-stats, session, analytics events and webhook files, or a whole folder of them — or a browser’s WebRTC stats dump anywhere on this page to see what went wrong, for whom, when, and what to do about it.',
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'btn primary', id: 'choose-files', disabled: busy, onClick: ctx.openPicker }, 'Choose files…'),
        h('button', { type: 'button', class: 'btn secondary', id: 'choose-folder', disabled: busy, onClick: ctx.openFolder }, 'Choose a folder…'),
        h('button', { type: 'button', class: 'btn secondary', id: 'try-sample', disabled: busy, onClick: ctx.loadSample }, 'Try the sample session'),
      ),
      h(
        'p',
        { class: 'privacy' },
        h('span', { class: 'icon', 'aria-hidden': 'true' }, '✔'),
        ' Your files never leave the browser: they are analyzed on this page by a WebAssembly engine, and nothing is uploaded.',
      ),
    ),
    savedListSection(ctx),
    h(
      'section',
      { class: 'panel help' },
      h('h2', null, 'Which files?'),
      h(
        'ul',
        null,
        h('li', null, h('code', null, 'GET /v2/analytics/peer-stats'), ' — one file per peer: the audio and video quality time series.'),
        h('li', null, h('code', null, 'GET /v2/sessions/<id>'), ' — who was in the session and when.'),
        h('li', null, h('code', null, 'GET /v2/analytics/events'), ' — track and error events (all pages).'),
        h('li', null, 'Webhook events (JSON or NDJSON) — joins, leaves and failures.'),
      ),
      h('h3', null, 'Or a browser’s stats dump'),
      h(
        'ul',
        { class: 'dump-kinds' },
        h('li', null, h('code', null, 'chrome://webrtc-internals'), ' dump — the file its “Download the webrtc-internals dump” button saves (.gz as downloaded); one file per browser.'),
        h('li', null, h('strong', null, 'rtcstats'), ' dump — from an rtcstats server (Jitsi’s line format) or Chrome’s “Download the rtcstats dump”; Chrome, Firefox and Safari.'),
        h('li', null, 'Dumps of the browsers in one call are joined into one session; IP addresses are masked unless you ask to see them.'),
      ),
      h('h3', null, 'Or many sessions at once: the Fleet view'),
      h(
        'ul',
        { class: 'fleet-kinds' },
        h('li', null, 'A folder of session folders (three or more): each folder is analyzed on its own, then the page shows what goes wrong most across them — by browser, OS, SDK version, role and room, per day — with links into each session.'),
        h('li', null, 'The fleet tables ', h('code', null, 'callsight analyze --tables DIR'), ' writes (', h('code', null, 'sessions.ndjson'), ', ', h('code', null, 'participants.ndjson'), ', ', h('code', null, 'issues.ndjson'), ', ', h('code', null, 'breaches.ndjson'), ', ', h('code', null, 'errors.ndjson'), '): the same summary as ', h('code', null, 'callsight fleet'), '.'),
      ),
      h('p', { class: 'muted' }, 'Exports and dumps are recognized by their content, not their names (the fleet tables by their names); gzip-compressed files (.gz) are decompressed on this page. A file that cannot be used is listed with the reason; the others are still analyzed. Thresholds can be changed in ', h('a', { href: '#/settings' }, 'Settings'), '.'),
    ),
  );
}
