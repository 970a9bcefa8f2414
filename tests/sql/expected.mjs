// What each query of docs/TABLES.md must answer, taken from the summary of
// `callsight fleet --format json`, and the comparison of an engine's rows
// with it.
import assert from 'node:assert/strict';

// Half a unit of the decimals the summary rounds to (docs/TABLES.md), and a
// little for the engines' float sums.
const SHARE = 0.5e-4 + 1e-9;
const CQS = 0.5e-3 + 1e-9;
const MINUTES = 0.05 + 1e-6;
const EXACT = 1e-9;

function issueOf(group, code) {
  return group.issues.find((i) => i.code === code) ?? { participants: 0, participant_share: 0 };
}

function breakdown(summary, dimension) {
  const b = summary.breakdowns.find((x) => x.dimension === dimension);
  assert.ok(b, `the summary has no ${dimension} breakdown`);
  return b;
}

// The issue the doc's per-issue queries name.
// The rows of a breakdown query: one per group of `dimension` in the
// summary, keyed by `column` (the room's is room_id).
function groupRows(summary, dimension, column) {
  return {
    key: column,
    rows: breakdown(summary, dimension).groups.map((g) => ({
      [column]: g.value,
      participant_count: g.participants,
      session_count: g.sessions,
      participants_affected: g.participants_affected,
      sessions_affected: g.sessions_affected,
      affected_share: g.affected_share,
    })),
    tolerance: { affected_share: SHARE },
  };
}

export const DOC_ISSUE = 'video_freeze';

// The dimensions the doc's breakdown query is run for (it is written for
// `browser`; the doc says to replace the name for the others).
export const BREAKDOWN_DIMENSIONS = ['browser', 'os', 'sdk_version', 'role'];

// name -> (summary, dimension) -> { rows, key?, tolerance: {column: abs} }.
// With `key`, rows are matched by that column (the order of groups with equal
// counts is not the summary's to fix); without, in order.
export const EXPECTED = {
  totals: (s) => ({
    rows: [{ session_count: s.sessions, participant_count: s.participants, minutes: s.participant_minutes }],
    tolerance: { minutes: MINUTES },
  }),
  issues: (s) => ({
    rows: s.issues.map((i) => ({
      code: i.code,
      issue_count: i.count,
      critical: i.critical,
      sessions_affected: i.sessions,
      participants_affected: i.participants,
      session_share: i.session_share,
      participant_share: i.participant_share,
      critical_share: i.critical_share,
    })),
    tolerance: { session_share: SHARE, participant_share: SHARE, critical_share: SHARE },
  }),
  failures: (s) => ({
    rows: [
      {
        participants_failed: s.failures.participants_failed,
        participants_terminal: s.failures.participants_terminal,
        failure_share: s.failures.failure_share,
        terminal_share: s.failures.terminal_share,
        sessions_critical: s.failures.sessions_critical,
        critical_session_share: s.failures.critical_session_share,
      },
    ],
    tolerance: { failure_share: SHARE, terminal_share: SHARE, critical_session_share: SHARE },
  }),
  breakdown: (s, dimension) => groupRows(s, dimension, dimension),
  breakdown_room: (s) => groupRows(s, 'room', 'room_id'),
  issue_by_browser: (s) => ({
    key: 'browser',
    rows: breakdown(s, 'browser').groups.map((g) => ({
      browser: g.value,
      participant_count: g.participants,
      affected: issueOf(g, DOC_ISSUE).participants,
      share: issueOf(g, DOC_ISSUE).participant_share,
    })),
    tolerance: { share: SHARE },
  }),
  most_affected: (s) => {
    assert.equal(s.top_issue, DOC_ISSUE, `the doc's query names ${DOC_ISSUE}, the fleet's top issue is ${s.top_issue}`);
    const b = breakdown(s, 'browser');
    assert.ok(b.most_affected, 'the summary names no most affected browser');
    return { rows: [{ browser: b.most_affected, share: b.most_affected_share }], tolerance: { share: SHARE } };
  },
  days: (s) => ({
    rows: s.days.map((d) => ({
      day: d.day,
      session_count: d.sessions,
      sessions_with_issue: d.sessions_with_issue,
      issue_share: d.issue_share,
      sessions_critical: d.sessions_critical,
      mean_cqs: d.cqs_mean,
    })),
    tolerance: { issue_share: SHARE, mean_cqs: CQS },
  }),
  worst_day: (s) => ({ rows: [{ day: s.worst_day }], tolerance: {} }),
  worst_sessions: (s) => ({
    rows: s.worst_sessions.map((x) => ({
      session_id: x.session_id,
      room_id: x.room_id,
      room_name: x.room_name,
      day: x.day,
      participants: x.participants,
      cqs_mean: x.cqs_mean,
      issues: x.issues,
      issues_critical: x.critical,
      verdict: x.verdict,
    })),
    tolerance: { cqs_mean: CQS },
  }),
  worst_rooms: (s) => ({
    rows: s.worst_rooms.map((r) => ({
      room_id: r.room_id,
      room: r.room_name,
      session_count: r.sessions,
      participant_count: r.participants,
      mean_cqs: r.cqs_mean,
      sessions_with_issue: r.sessions_with_issue,
      sessions_critical: r.sessions_critical,
    })),
    tolerance: { mean_cqs: CQS },
  }),
};

// Engines give 64-bit integers as text (DuckDB's JSON rows, ClickHouse's
// JSONEachRow by default) and dates as text; numbers are compared as numbers.
function sameValue(actual, expected, tolerance) {
  if (expected === null || actual === null) return actual === expected;
  if (typeof expected === 'number') {
    const n = typeof actual === 'string' ? Number(actual) : actual;
    return typeof n === 'number' && Math.abs(n - expected) <= tolerance;
  }
  return String(actual) === String(expected);
}

// Fails naming the query, the row and both answers.
export function compareRows(label, actualRows, { rows, key, tolerance }) {
  const show = (x) => JSON.stringify(x);
  const context = `${label}\n  SQL answer:     ${show(actualRows)}\n  callsight fleet: ${show(rows)}`;
  assert.equal(actualRows.length, rows.length, `${label}: ${actualRows.length} rows, the summary has ${rows.length}\n${context}`);
  const keyOf = (r) => JSON.stringify(r[key] ?? null);
  const byKey = key ? new Map(actualRows.map((r) => [keyOf(r), r])) : null;
  rows.forEach((want, index) => {
    const got = key ? byKey.get(keyOf(want)) : actualRows[index];
    assert.ok(got, `${label}: no row for ${key} = ${keyOf(want)}\n${context}`);
    for (const [column, value] of Object.entries(want)) {
      assert.ok(column in got, `${label}: the SQL answer has no column ${column}\n${context}`);
      assert.ok(
        sameValue(got[column], value, tolerance[column] ?? EXACT),
        `${label}: row ${key ? keyOf(want) : index}, ${column}: SQL ${show(got[column])}, callsight fleet ${show(value)}` +
          `\n  SQL row:     ${show(got)}\n  summary row: ${show(want)}`,
      );
    }
  });
}
