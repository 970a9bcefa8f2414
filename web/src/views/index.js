// The views by route name. Each is a function of the view context (app.js
// viewContext) returning the content of <main>.
import { h } from '../dom.js';
import { renderLanding } from './landing.js';
import { renderOverview } from './overview.js';
import { renderPeers } from './peers.js';
import { renderPeer } from './peer.js';
import { renderIssues } from './issues.js';
import { renderCompare } from './compare.js';
import { renderErrors } from './errors.js';
import { renderSettings } from './settings.js';
import { renderFleet } from './fleet.js';

const VIEWS = {
  landing: (ctx) => renderLanding(ctx),
  overview: (ctx) => renderOverview(ctx),
  peers: (ctx) => renderPeers(ctx),
  peer: (ctx) => renderPeer(ctx, ctx.route.arg),
  issues: (ctx) => renderIssues(ctx),
  compare: (ctx) => renderCompare(ctx),
  errors: (ctx) => renderErrors(ctx),
  settings: (ctx) => renderSettings(ctx),
  fleet: (ctx) => renderFleet(ctx),
};

// The view's content (an unknown view: the landing page); a view that throws
// shows its error in a panel instead.
export function renderView(view, ctx) {
  try {
    return (VIEWS[view] || VIEWS.landing)(ctx);
  } catch (e) {
    console.error(e);
    return h('section', { class: 'panel' }, h('h1', null, 'This view could not be shown'), h('p', null, String(e && e.message ? e.message : e)));
  }
}
