// Hash routing: `#/<view>[/<arg>][?params]`, where `s=` and `m=` keep the
// session (its position in the report's sessions) and the meeting (the report's
// meetings[].index) across views, and `saved=` the saved session shown (its id
// on this device, saved.js), so a reload opens it again.
import { arr, sessionsOf } from './report.js';

// The views that show a report (the others: the landing page and the settings).
export const DATA_VIEWS = new Set(['overview', 'peers', 'peer', 'issues', 'compare', 'errors']);

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

export function currentRoute() {
  return parseHash(location.hash);
}

// The hash of a view in the given scope ({sessionIndex, meetingIndex, saved}).
export function routeHash(view, arg, params, { sessionIndex, meetingIndex, saved }) {
  const p = new URLSearchParams(params || '');
  p.delete('s');
  p.delete('m');
  p.delete('saved');
  if (sessionIndex) p.set('s', String(sessionIndex));
  if (meetingIndex !== null) p.set('m', String(meetingIndex));
  if (saved?.id) p.set('saved', String(saved.id));
  const q = p.toString();
  return `#/${view}${arg ? `/${encodeURIComponent(arg)}` : ''}${q ? `?${q}` : ''}`;
}

// The session, meeting (by the report's meetings[].index) and view the route
// asks for; sessionIndex stays the given one when the route names no session
// of the report. The fleet view shows when `hasFleet` (a fleet summary is kept).
export function resolveRoute(route, report, sessionIndex, hasFleet = false) {
  const s = Number(route.params.get('s'));
  const m = route.params.get('m');
  const sessions = sessionsOf(report);
  if (Number.isInteger(s) && s >= 0 && s < sessions.length) sessionIndex = s;
  const session = sessions[sessionIndex] || null;
  const meeting = m !== null && m !== '' ? arr(session?.meetings).find((x) => String(x.index) === m) || null : null;
  let view = route.view;
  if (view === 'fleet') return { sessions, session, meeting, view: hasFleet ? 'fleet' : 'landing', sessionIndex, meetingIndex: meeting ? meeting.index : null };
  if (!session && view !== 'settings') view = 'landing';
  if (view === '' || !(DATA_VIEWS.has(view) || view === 'settings' || view === 'landing')) view = session ? 'overview' : 'landing';
  return { sessions, session, meeting, view, sessionIndex, meetingIndex: meeting ? meeting.index : null };
}
