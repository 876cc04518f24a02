/**
 * The playground's HTML: one self-contained page (the IIFE, the statechart SVG, the layout and
 * the script inline), so the emulator serves it as a single route at `/`.
 */
import type { PlaygroundLayout } from './client.js';

/** What the page is made of. */
export interface PlaygroundAssets {
  /** `dist/taptalk-session.global.js`. */
  iife: string;
  /** The statechart, generated from the machine (state groups have ids `state-<state id>`). */
  svg: string;
  layout: PlaygroundLayout;
  /** The page's script, compiled from src/playground/client-main.ts (scripts/playground-client.ts). */
  client: string;
}

/** Inline `<script>` content must not close the element early. */
const scriptSafe = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const STYLE = `
  :root { font: 14px/1.4 system-ui, sans-serif; color: #0f172a; background: #f8fafc; }
  body { margin: 0; display: grid; grid-template-columns: minmax(0, 1fr) 600px; grid-template-rows: auto 1fr; height: 100vh; }
  header { grid-column: 1 / 3; display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; padding: 10px 16px; background: #0f172a; color: #f8fafc; }
  header h1 { font-size: 16px; margin: 0 8px 0 0; }
  .group { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
  .label { color: #94a3b8; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #334155; background: #1e293b; color: #f8fafc; cursor: pointer; }
  button:hover { background: #334155; }
  button[data-fault] { border-color: #b45309; }
  input[type=text] { font: inherit; width: 90px; padding: 3px 6px; border-radius: 6px; border: 1px solid #334155; background: #0b1220; color: #f8fafc; }
  #status { display: flex; gap: 12px; align-items: baseline; }
  #state { font-weight: 700; padding: 2px 10px; border-radius: 999px; background: #64748b; }
  #state[data-state=connected] { background: #16a34a; }
  #state[data-state=connecting], #state[data-state=authenticating] { background: #d97706; }
  #state[data-state=authenticated] { background: #2563eb; }
  #state[data-state=loggedOut] { background: #7f1d1d; }
  #substate, #ticket, #user { color: #cbd5e1; font-size: 12px; }
  #chart { overflow: auto; padding: 8px; background: #fff; border-right: 1px solid #e2e8f0; min-height: 0; }
  #chart.fit svg { width: 100%; height: 100%; }
  #chart g.node.active > path, #chart g.node.active > polygon { fill: #fde047; stroke: #a16207; stroke-width: 3; }
  #chart g.cluster.active > path, #chart g.cluster.active > polygon { stroke: #ca8a04; stroke-width: 3; }
  aside { overflow: auto; min-height: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 12px; }
  th { position: sticky; top: 0; background: #e2e8f0; text-align: left; padding: 4px 6px; }
  td { padding: 3px 6px; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
  td:nth-child(6) { color: #64748b; overflow-wrap: anywhere; width: 150px; }
  td.kind { color: #64748b; }
  tr.ok td:nth-child(3) { color: #15803d; }
  tr.bad td { color: #b91c1c; }
  tr.fault td { color: #b45309; }
`;

const CONTROLS = `
  <h1>taptalk-session playground</h1>
  <div id="status"><span id="state">…</span><span id="substate"></span><span id="user">—</span></div>
  <div class="group"><span class="label">backend</span>
    <input id="xcUserID" type="text" value="alice" aria-label="xcUserID">
    <button data-action="ticket">Request ticket</button><span id="ticket">no ticket</span></div>
  <div class="group"><span class="label">app</span>
    <button data-action="authenticate">Authenticate</button>
    <label><input id="autoconnect" type="checkbox"> connect on success</label>
    <button data-action="connect">Connect</button>
    <button data-action="disconnect">Disconnect</button>
    <button data-action="refresh">Refresh token</button>
    <button data-action="logout">Logout</button></div>
  <div class="group"><span class="label">faults</span>
    <button data-fault="dropConnections">Drop connections</button>
    <button data-fault="expireAccessTokens">Expire access token</button>
    <button data-fault="revokeRefreshTokens">Revoke refresh token</button>
    <button data-fault="refuseConnections">Refuse connections 10 s</button>
    <button data-fault="reset">Reset faults</button></div>
  <button id="fit">Fit / 100 %</button>
`;

/**
 * The playground page.
 *
 * @example
 * ```ts
 * const html = playgroundHtml(await loadPlaygroundAssets());
 * ```
 */
export function playgroundHtml(assets: PlaygroundAssets): string {
  const layout = JSON.stringify({ machine: assets.layout.machine, states: assets.layout.states.map(({ id, domId }) => ({ id, domId })) });
  const svg = assets.svg.replace(/^[\s\S]*?(?=<svg)/, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>taptalk-session playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body>
<header>${CONTROLS}</header>
<main id="chart" class="fit">${svg}</main>
<aside><table><thead><tr><th>s</th><th></th><th>what</th><th>reason</th><th>retryIn</th><th>event</th></tr></thead><tbody id="log-body"></tbody></table></aside>
<script type="application/json" id="layout">${layout.replace(/</g, '\\u003c')}</script>
<script>${scriptSafe(assets.iife)}</script>
<script>${scriptSafe(assets.client)}</script>
</body></html>
`;
}
