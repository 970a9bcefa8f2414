// A local stand-in for the 100ms REST API (127.0.0.1, a free port) for the
// tests of `callsight fetch`. It serves sessions written by the generator
// (scripts/gen) through the documented endpoints, as strictly as docs/FETCH.md
// says the real API behaves:
//   GET /v2/sessions/<id>                          the session object (its file's bytes)
//   GET /v2/sessions?room_id&active&after&before&limit&start
//                                                  the room's sessions; `last` is the next `start`
//   GET /v2/analytics/peer-stats?peer_id&session_id
//   GET /v2/analytics/events?room_id&type...&session_id&peer_id&limit&start
//                                                  room_id and type required; limit 1..100;
//                                                  `start` must be a `next` this server gave
//                                                  for the same query
//   GET /v2/analytics/webhooks?room_id&start_time&end_time&limit&page
// Every request needs "Authorization: Bearer <token>": the given token, or an
// HS256 management token signed with the given app secret (claims checked).
// A missing required parameter is a 400, an unknown id a 404. `faults` makes
// it answer 429 (Retry-After: 1), 500, 401, slowly, drop the connection, or
// answer 400 with the Authorization header in its message (echo400).
// `pageCap` serves at most that many items per page (the API may give fewer
// than `limit`), so small sessions still span several pages.
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// One generator session folder (DIR/input) as the API's data. `room` replaces
// its room id everywhere (several sessions of one room).
export function loadSession(dir, room) {
  const input = join(dir, 'input');
  const read = (f) => {
    let text = readFileSync(join(input, f), 'utf8');
    if (room) text = text.split(oldRoom).join(room);
    return text;
  };
  const files = readdirSync(input).sort();
  const oldRoom = JSON.parse(readFileSync(join(input, 'session.json'), 'utf8')).room_id;
  const sessionText = read('session.json');
  const session = JSON.parse(sessionText);
  const peerStats = new Map();
  for (const f of files.filter((f) => /^peer-stats-.*\.json$/.test(f))) {
    const text = read(f);
    peerStats.set(JSON.parse(text).peer_id, text);
  }
  const events = files.filter((f) => /^events-page-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]))
    .flatMap((f) => JSON.parse(read(f)).events);
  const hooks = files.filter((f) => /^webhook-history-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]))
    .flatMap((f) => JSON.parse(read(f)).events);
  return { id: session.id, room_id: session.room_id, sessionText, session, peerStats, events, hooks };
}

function verifyJwt(token, accessKey, secret) {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const mac = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const sig = Buffer.from(parts[2], 'base64url');
  if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) return false;
  const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
  const c = JSON.parse(Buffer.from(parts[1], 'base64url'));
  const now = Math.floor(Date.now() / 1000);
  return header.alg === 'HS256' && c.access_key === accessKey && c.type === 'management' &&
    c.version === 2 && typeof c.jti === 'string' && c.jti.length > 0 && c.iat <= now + 5 &&
    c.nbf <= now + 5 && c.exp > now && c.exp - c.iat <= 24 * 3600;
}

export async function startServer({ sessions, token, accessKey, secret, pageCap = 100 }) {
  const state = {
    requests: [],          // { path, status }
    sent: new Map(),       // path -> the body last sent with status 200
    tokensSeen: new Set(), // every bearer token received
    faults: [],            // { match: RegExp, kind: '429'|'500'|'401'|'slow'|'drop'|'echo400', times }
    cursors: new Map(),    // events cursor -> { query, offset }
    lists: new Map(),      // session-list `last` -> query
  };
  const byId = new Map(sessions.map((s) => [s.id, s]));

  const authorized = (req) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    state.tokensSeen.add(m[1]);
    if (token !== undefined) return m[1] === token;
    try { return verifyJwt(m[1], accessKey, secret); } catch { return false; }
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const path = req.url;
    const send = (status, body, headers = {}) => {
      state.requests.push({ path, status });
      if (status === 200) state.sent.set(path, Buffer.from(body));
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const fault = state.faults.find((f) => f.times > 0 && f.match.test(path));
    if (fault) {
      fault.times--;
      if (fault.kind === 'drop') { state.requests.push({ path, status: 0 }); req.socket.destroy(); return; }
      if (fault.kind === '429') return send(429, '{"message":"rate limit exceeded"}', { 'retry-after': '1' });
      if (fault.kind === '500') return send(500, '{"message":"internal error"}');
      if (fault.kind === '401') return send(401, '{"message":"unauthorized"}');
      // A careless proxy that echoes the request's Authorization header.
      if (fault.kind === 'echo400') return send(400, JSON.stringify({ message: `bad request with ${req.headers.authorization}` }));
      if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, 3000));
    }
    if (req.method !== 'GET') return send(405, '{}');
    if (!authorized(req)) return send(401, '{"code":401,"message":"token invalid"}');
    try {
      const answer = route(url, state, byId, sessions, pageCap);
      send(answer[0], answer[1]);
    } catch (e) {
      send(500, JSON.stringify({ message: String(e) }));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`, state,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

const bad = (message) => [400, JSON.stringify({ code: 400, message })];
const notFound = (message) => [404, JSON.stringify({ code: 404, message })];

function limitOf(q, dflt, min, max) {
  if (!q.has('limit')) return dflt;
  const n = Number(q.get('limit'));
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

function route(url, state, byId, sessions, pageCap) {
  const q = url.searchParams;
  let m;
  if ((m = /^\/v2\/sessions\/([^/]+)$/.exec(url.pathname))) {
    const s = byId.get(decodeURIComponent(m[1]));
    return s ? [200, s.sessionText] : notFound('session not found');
  }
  if (url.pathname === '/v2/sessions' || url.pathname === '/v2/sessions/') return sessionList(q, state, sessions);
  if (url.pathname === '/v2/analytics/peer-stats') {
    if (!q.get('peer_id') || !q.get('session_id')) return bad('peer_id and session_id are required');
    const text = byId.get(q.get('session_id'))?.peerStats.get(q.get('peer_id'));
    return text ? [200, text] : notFound('no stats for this peer');
  }
  if (url.pathname === '/v2/analytics/events') return eventsPage(q, state, sessions, pageCap);
  if (url.pathname === '/v2/analytics/webhooks') return webhookPage(q, sessions, pageCap);
  return notFound('no such endpoint');
}

function sessionList(q, state, sessions) {
  const limit = limitOf(q, 10, 10, 100);
  if (limit === null) return bad('limit must be from 10 to 100');
  const query = ['room_id', 'active', 'after', 'before', 'limit'].map((k) => `${k}=${q.get(k)}`).join('&');
  let list = sessions.filter((s) => (!q.get('room_id') || s.room_id === q.get('room_id')) &&
    String(s.session.active) === (q.get('active') ?? 'true') &&
    (!q.get('after') || s.session.created_at >= q.get('after')) &&
    (!q.get('before') || s.session.created_at <= q.get('before')));
  list.sort((a, b) => (a.session.created_at < b.session.created_at ? 1 : -1));
  if (q.has('start')) {
    if (state.lists.get(q.get('start')) !== query) return bad('start is not a last this query gave');
    list = list.slice(list.findIndex((s) => s.id === q.get('start')) + 1);
  }
  const data = list.slice(0, limit);
  const last = data.length ? data[data.length - 1].id : '';
  if (last) state.lists.set(last, query);
  return [200, JSON.stringify({ limit, data: data.map((s) => s.session), last })];
}

function eventsPage(q, state, sessions, pageCap) {
  if (!q.get('room_id')) return bad('room_id is required');
  const types = q.getAll('type');
  if (!types.length) return bad('type is required');
  const limit = limitOf(q, 10, 1, 100);
  if (limit === null) return bad('limit must be from 1 to 100');
  const query = ['room_id', 'session_id', 'peer_id', 'limit'].map((k) => `${k}=${q.get(k)}`).join('&') + `&type=${types.join(',')}`;
  let offset = 0;
  if (q.has('start')) {
    const c = state.cursors.get(q.get('start'));
    if (!c || c.query !== query) return bad('start is not a next this query gave');
    offset = c.offset;
  }
  const all = sessions.flatMap((s) => s.events).filter((e) => e.data.room_id === q.get('room_id') &&
    types.includes(e.type) && (!q.get('session_id') || e.data.session_id === q.get('session_id')) &&
    (!q.get('peer_id') || e.data.peer_id === q.get('peer_id')));
  const size = Math.min(limit, pageCap);
  const events = all.slice(offset, offset + size);
  let next = '';
  if (offset + size < all.length) {
    next = Buffer.from(`${query}:${offset + size}`).toString('base64url');
    state.cursors.set(next, { query, offset: offset + size });
  }
  return [200, JSON.stringify({ limit: size, total: all.length, next, events })];
}

function webhookPage(q, sessions, pageCap) {
  const limit = limitOf(q, 50, 1, 100);
  if (limit === null) return bad('limit must be from 1 to 100');
  const page = q.has('page') ? Number(q.get('page')) : 1;
  if (!Number.isInteger(page) || page < 1) return bad('page must be a whole number from 1');
  const from = q.get('start_time') ? Date.parse(q.get('start_time')) : -Infinity;
  const to = q.get('end_time') ? Date.parse(q.get('end_time')) : Infinity;
  if (Number.isNaN(from) || Number.isNaN(to)) return bad('start_time and end_time must be RFC 3339');
  if (to - from > 14 * 86400000) return bad('end_time must be within 14 days after start_time');
  if (Date.now() - from > 30 * 86400000) return bad('start_time must be within the last 30 days');
  const all = sessions.flatMap((s) => s.hooks).filter((h) => (!q.get('room_id') || h.room_id === q.get('room_id')) &&
    Date.parse(h.event_timestamp) >= from && Date.parse(h.event_timestamp) <= to);
  const size = Math.min(limit, pageCap);
  const totalPages = Math.max(1, Math.ceil(all.length / size));
  return [200, JSON.stringify({
    events: all.slice((page - 1) * size, page * size),
    pagination: { current_page: page, page_size: size, total_pages: totalPages, total_items: all.length,
      has_next: page < totalPages, has_prev: page > 1 },
    summary: { total_events: all.length },
  })];
}
