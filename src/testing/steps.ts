/**
 * The steps of a scenario: plain data, so a failing scenario prints as a list you can read, paste
 * back and replay. {@link describeStep} is how each one reads in a report.
 */

/** Which ticket an `authenticate` step spends. */
export type TicketKind = 'fresh' | 'reused' | 'expired';

/** The emulator endpoints a `failNext` step can fail. */
export type FailEndpoint = 'exchange' | 'probe' | 'refresh' | 'logout' | 'upgrade';

/** What a failed endpoint answers: a 500 `50001`, a proxy's HTTP 502, or `40104` (token expired). */
export type FailKind = 'serverError' | 'badGateway' | 'tokenExpired';

/** The environment events the platform would report. */
export type EnvironmentKind = 'online' | 'offline' | 'visible' | 'hidden';

/**
 * Something the app's user does, on the main page (`page` 0, the default) or on a sibling (a
 * second session on the same storage, see {@link SiblingStep}).
 */
export type UserStep = { page?: number } & (
  | { kind: 'authenticate'; ticket: TicketKind; connect: boolean }
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  | { kind: 'logout' }
  /** The page reloads: its app and session are disposed, new ones restore from the storage. */
  | { kind: 'reload' }
  /** A `chat/sendMessage` frame with `{ text }` (the emulator echoes it to the user's sockets). */
  | { kind: 'send'; text: string }
);

/** Something the server or the network does (the emulator's faults). */
export type FaultStep =
  /** Every open socket closes: with `code`, or cut as a network would (1006). */
  | { kind: 'drop'; code?: number }
  /** WebSocket upgrades are refused (503) until a `refuse` with `on: false` or a `resetFaults`. */
  | { kind: 'refuse'; on: boolean }
  /** Open sockets go silent without closing (no pongs, nothing delivered); `on: false` heals them. */
  | { kind: 'halfOpen'; on: boolean }
  /**
   * Every HTTP answer arrives `ms` of simulated time late (the server has acted already); 0 ends it.
   * The kit's wire holds the answers: the emulator's own `latency` fault runs on the real clock.
   */
  | { kind: 'latency'; ms: number }
  /** Every access token issued so far answers `40104`. */
  | { kind: 'expire' }
  /** Every session issued so far is revoked: its tokens answer `40103`. */
  | { kind: 'revoke' }
  /** The next `count` requests to `endpoint` answer `failure`. */
  | { kind: 'failNext'; endpoint: FailEndpoint; failure: FailKind; count: number }
  /** Latency, refused upgrades, queued failures and half-open sockets end. */
  | { kind: 'resetFaults' };

/** Something the device does. */
export type EnvironmentStep =
  | { kind: 'environment'; event: EnvironmentKind }
  /**
   * The device sleeps for `ms`, then reports the wake. `clock: 'stops'`: the monotonic clock stood
   * still (only the server's time moved); `'runs'`: it ran on, and every timer fires late at wake.
   */
  | { kind: 'sleep'; ms: number; clock: 'stops' | 'runs' };

/**
 * A sibling opens (a second session, with its own app, on the same storage: another tab or
 * process) or closes. User steps with `page: 1` act on it. Sessions that coordinate through their
 * storage are what siblings test; a step on a page that is not open does nothing.
 */
export type SiblingStep = { kind: 'sibling'; open: boolean };

/** Simulated time passes, timer by timer, with I/O in between. */
export type TimeStep = { kind: 'advance'; ms: number };

/** One step of a scenario. */
export type Step = UserStep | FaultStep | EnvironmentStep | SiblingStep | TimeStep;

/** A step's `kind`. */
export type StepKind = Step['kind'];

/** Exact (a replay by hand needs the very number), with a rounded hint for long spans. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const exact = `${ms / 1000}s`;
  if (ms < 60_000) return exact;
  return ms < 3_600_000 ? `${exact} (~${Math.round(ms / 60_000)}min)` : `${exact} (~${+(ms / 3_600_000).toFixed(1)}h)`;
}

function describeUser(step: UserStep): string {
  switch (step.kind) {
    case 'authenticate':
      return `authenticate(${step.ticket} ticket${step.connect ? ', connect' : ''})`;
    case 'send':
      return `send(${JSON.stringify(step.text)})`;
    default:
      return `${step.kind}()`;
  }
}

/**
 * How a step reads in a report.
 *
 * @example
 * ```ts
 * describeStep({ kind: 'advance', ms: 90_000 }); // 'advance 90s (~2min)'
 * describeStep({ kind: 'logout', page: 1 });     // 'sibling 1: logout()'
 * ```
 */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'authenticate':
    case 'connect':
    case 'disconnect':
    case 'logout':
    case 'reload':
    case 'send':
      return `${step.page ? `sibling ${step.page}: ` : ''}${describeUser(step)}`;
    case 'drop':
      return `fault: drop sockets${step.code === undefined ? '' : ` with ${step.code}`}`;
    case 'refuse':
      return `fault: refuse sockets ${step.on ? 'on' : 'off'}`;
    case 'halfOpen':
      return `fault: sockets half-open ${step.on ? 'on' : 'off'}`;
    case 'latency':
      return `fault: latency ${duration(step.ms)}`;
    case 'expire':
      return 'fault: expire every access token';
    case 'revoke':
      return 'fault: revoke every token';
    case 'failNext':
      return `fault: next ${step.count} ${step.endpoint} answer(s) ${step.failure}`;
    case 'resetFaults':
      return 'fault: reset';
    case 'environment':
      return `environment: ${step.event}`;
    case 'sleep':
      return `sleep ${duration(step.ms)} (clock ${step.clock})`;
    case 'sibling':
      return step.open ? 'sibling opens (a second session on the same storage)' : 'sibling closes';
    case 'advance':
      return `advance ${duration(step.ms)}`;
  }
}

/**
 * A scenario as a numbered list, one step a line; `marked` (0-based) gets an arrow.
 *
 * @example
 * ```ts
 * formatScenario([{ kind: 'authenticate', ticket: 'fresh', connect: true }, { kind: 'logout' }], 1);
 * // '  1. authenticate(fresh ticket, connect)\n  2. logout()   <- fails here'
 * ```
 */
export function formatScenario(steps: readonly Step[], marked?: number): string {
  return steps.map((s, i) => `  ${i + 1}. ${describeStep(s)}${i === marked ? '   <- fails here' : ''}`).join('\n');
}
