/**
 * The playground page's script. It runs in the browser: esbuild bundles client-main.ts (which
 * calls {@link playgroundClient}) into the page's script (scripts/playground-client.ts). It takes
 * the engine from the page's IIFE (`window.TapTalkSession`) and imports only types, so the page
 * holds one engine.
 */
import type * as TapTalkSessionModule from '../index.js';
import type { SessionTransition } from '../session/types.js';
import type { TapTalk } from '../taptalk.js';

/** What the page exposes on `window.playground` (the Chromium test reads it). */
export interface PlaygroundWindow {
  tap: TapTalk;
  /** Ids of the SVG groups lit now. */
  litIds(): string[];
  /** Resolves once the app key is known and the session is initialised. */
  ready: Promise<void>;
}

/** The statechart's description the page needs (from the generated layout). */
export interface PlaygroundLayout {
  machine: string;
  states: { id: string; domId: string }[];
}

/** The page's behaviour: session, buttons, the lit statechart and the log. */
export function playgroundClient(): void {
  const g = window as unknown as { TapTalkSession: typeof TapTalkSessionModule; playground: PlaygroundWindow };
  const T = g.TapTalkSession;
  const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;
  const layout = JSON.parse($('layout').textContent ?? '{}') as PlaygroundLayout;
  const known = new Map(layout.states.map((s) => [s.id, s.domId]));
  const tap = T.createTapTalk();
  const t0 = performance.timeOrigin + performance.now();
  let ticket = '';

  const cell = (text: string, className = '') => {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  };
  const log = (kind: string, cells: string[], className = '') => {
    const row = document.createElement('tr');
    row.className = className;
    const seconds = ((performance.timeOrigin + performance.now() - t0) / 1000).toFixed(3);
    [seconds, kind, ...cells].forEach((c, i) => row.append(cell(c, i === 1 ? 'kind' : '')));
    while (row.children.length < 6) row.append(cell(''));
    const body = $('log-body');
    body.prepend(row);
    while (body.children.length > 300) body.lastElementChild?.remove();
  };

  /** Active state node ids of a snapshot value: every ancestor and every parallel region. */
  const activeIds = (value: unknown, prefix: string): string[] => {
    if (typeof value === 'string') return [prefix, prefix + '.' + value];
    const ids = [prefix];
    for (const [key, child] of Object.entries((value ?? {}) as Record<string, unknown>)) ids.push(...activeIds(child, prefix + '.' + key));
    return ids;
  };
  let lit: string[] = [];
  const light = (value: unknown) => {
    const next = activeIds(value, layout.machine)
      .map((id) => known.get(id))
      .filter((id): id is string => id !== undefined);
    for (const id of lit) document.getElementById(id)?.classList.remove('active');
    for (const id of next) document.getElementById(id)?.classList.add('active');
    lit = next;
    const session = tap.session;
    $('state').textContent = session.state;
    $('state').dataset.state = session.state;
    const ids = next.map((id) => id.replace(/^state-/, ''));
    const leaves = ids.filter((id) => !ids.some((other) => other.startsWith(id + '.')));
    $('substate').textContent = leaves.map((id) => id.slice(layout.machine.length + 1)).join(' + ');
    $('user').textContent = session.user?.xcUserID ?? '—';
  };

  const admin = async (path: string, body: unknown = {}): Promise<Record<string, unknown>> => {
    const res = await fetch('/_emulator/' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const envelope = (await res.json()) as { data?: Record<string, unknown>; error?: { code: string; message: string } };
    if (envelope.error && envelope.error.code) throw new Error(envelope.error.code + ' ' + envelope.error.message);
    return envelope.data ?? {};
  };
  const callback = (what: string) => ({
    onSuccess: (message: string) => log('app', [what + ': ' + message], 'ok'),
    onError: (code: string, message: string) => log('app', [what + ' failed', code + ' ' + message], 'bad'),
  });
  const actions: Record<string, () => unknown> = {
    ticket: async () => {
      const xcUserID = ($('xcUserID') as HTMLInputElement).value.trim() || 'alice';
      const data = await admin('ticket', { xcUserID, fullName: xcUserID });
      ticket = String(data.ticket);
      $('ticket').textContent = 'ticket for ' + xcUserID + ' ready (one use)';
      log('backend', ['one-time ticket for ' + xcUserID, '', '', 'POST /_emulator/ticket'], 'ok');
    },
    authenticate: () => {
      if (!ticket) return log('app', ['authenticate', 'request a ticket first'], 'bad');
      const used = ticket;
      ticket = '';
      $('ticket').textContent = 'no ticket';
      tap.authenticateWithAuthTicket(used, ($('autoconnect') as HTMLInputElement).checked, callback('authenticate'));
    },
    connect: () => tap.connect(callback('connect')),
    disconnect: () => tap.disconnect(),
    refresh: () => tap.refreshAccessToken(callback('refresh')),
    logout: () => tap.logoutAndClearAllTapTalkData(callback('logout')),
  };
  const faults: Record<string, unknown[]> = {
    dropConnections: [],
    expireAccessTokens: [],
    revokeRefreshTokens: [],
    refuseConnections: [10_000],
    reset: [],
  };

  document.querySelectorAll<HTMLButtonElement>('button[data-action]').forEach((button) => {
    button.addEventListener('click', () => {
      const run = actions[button.dataset.action ?? ''];
      Promise.resolve()
        .then(() => run?.())
        .catch((e: Error) => log('app', [button.dataset.action + ' failed', e.message], 'bad'));
    });
  });
  document.querySelectorAll<HTMLButtonElement>('button[data-fault]').forEach((button) => {
    button.addEventListener('click', () => {
      const name = button.dataset.fault ?? '';
      admin('faults/' + name, { args: faults[name] ?? [] }).then(
        (data) => log('fault', [name + '(' + (faults[name] ?? []).join(', ') + ')', '', '', '→ ' + JSON.stringify(data.result)], 'fault'),
        (e: Error) => log('fault', [name + ' failed', e.message], 'bad'),
      );
    });
  });
  $('fit').addEventListener('click', () => $('chart').classList.toggle('fit'));

  const ready = (async () => {
    const info = (await (await fetch('/_emulator/info')).json()) as { data: { url: string; appKey: { id: string; secret: string } } };
    // The page's own origin: the emulator serves the API, the socket and this page together.
    tap.init(info.data.appKey.id, info.data.appKey.secret, location.origin);
    const session = tap.session;
    session.actor.subscribe((snapshot) => light(snapshot.value));
    light(session.actor.getSnapshot().value);
    session.transitions$.subscribe((t: SessionTransition) => {
      const to = t.to + (t.substate ? ' (' + t.substate + ')' : '');
      const retry = t.retryIn === undefined ? '' : Math.round(t.retryIn) + ' ms';
      // xstate.after.retryDelay.session.active... → after retryDelay; xstate.done.actor.x → done x
      const event = t.event.replace(/^xstate\.after\.([^.]+)\..*$/, 'after $1').replace(/^xstate\.(done|error)\.actor\./, '$1 ');
      log('state', [t.from + ' → ' + to, t.reason ?? '', retry, event], t.to === 'connected' ? 'ok' : '');
    });
    session.errors$.subscribe((e) => log('error', [e.code + ' ' + e.message, e.retryable ? 'retryable' : ''], 'bad'));
    await session.whenReady();
  })();
  ready.catch((e: Error) => log('page', ['start failed', e.message], 'bad'));
  g.playground = { tap, litIds: () => [...lit], ready };
}
