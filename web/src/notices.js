// The notices above the view: a failed analysis, the input files the engine
// rejected (with its messages), the ones it repaired, and a report the engine
// could not build.
import { h } from './dom.js';
import { arr, messageText, rejectedInputs, repairedInputs, sessionsOf } from './report.js';

function plural(n, one, many) {
  return `${n} file${n === 1 ? one : many}`;
}

// The rejected files with their messages, then the messages not tied to a file
// (extraMessages, from a CallsightInputError) that no file already shows.
function rejectedNotice(report, extraMessages) {
  const rejected = rejectedInputs(report);
  const seen = new Set();
  const fileItems = [];
  for (const inp of rejected) {
    const msgs = arr(inp.messages).map(messageText);
    msgs.forEach((m) => seen.add(m));
    fileItems.push(h('li', { class: 'rejected-file' }, h('strong', null, inp.name), ' — rejected', h('ul', null, msgs.map((m) => h('li', { class: 'input-message' }, m)))));
  }
  const extra = extraMessages.filter((m) => m && !seen.has(m));
  for (const m of extra) fileItems.push(h('li', { class: 'input-message' }, m));
  if (!fileItems.length) return null;
  return h(
    'div',
    { class: 'notice error', role: 'alert', id: 'rejected-files' },
    h('strong', null, `${plural(rejected.length || extra.length, ' was', 's were')} rejected`),
    sessionsOf(report).length ? ' — the other files were analyzed.' : ' — no session could be built from the files.',
    h('ul', null, fileItems),
  );
}

function repairedNotice(report) {
  const repaired = repairedInputs(report);
  if (!repaired.length) return null;
  return h(
    'details',
    { class: 'notice warning' },
    h('summary', null, `${plural(repaired.length, ' was', 's were')} repaired with warnings`),
    h('ul', null, repaired.map((inp) => h('li', null, h('strong', null, inp.name), h('ul', null, arr(inp.messages).map((m) => h('li', null, messageText(m))))))),
  );
}

// The notices for the app's state ({fatal, report, extraMessages}), in order.
export function noticeItems({ fatal, report, extraMessages }) {
  const items = [];
  if (fatal) items.push(h('div', { class: 'notice error', role: 'alert' }, h('strong', null, 'Error: '), fatal));
  if (report) {
    items.push(rejectedNotice(report, extraMessages), repairedNotice(report));
    if (report.error) items.push(h('div', { class: 'notice error', role: 'alert' }, `The report could not be built: ${report.error}`));
  }
  return items.filter(Boolean);
}
