/**
 * Everything one emulator instance owns. Passed explicitly to routes and socket handlers, so two
 * emulators in one process share nothing (there is no module-level state).
 */
import { Connections } from './connections.js';
import { FaultState } from './fault-state.js';
import { FrameLog } from './frame-log.js';
import type { ResolvedOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { SessionBook } from './sessions.js';
import { Stats } from './stats.js';
import { TicketBook } from './tickets.js';
import { Timers } from './timers.js';
import { UserDirectory } from './users.js';

/** One instance's state. */
export interface EmulatorContext {
  readonly options: ResolvedOptions;
  readonly users: UserDirectory;
  readonly tickets: TicketBook;
  readonly sessions: SessionBook;
  readonly connections: Connections;
  readonly faults: FaultState;
  readonly stats: Stats;
  readonly timers: Timers;
  readonly frames: FrameLog;
  /** Every request, with `record: true` only. */
  readonly requests: RequestLog | undefined;
  /** Base URL, known once the server listens. @default '' */
  url: string;
  /** Set by close(): pending work stops instead of starting anything new. @default false */
  closed: boolean;
  /** Next server-assigned messageID of echoed messages. @default 1 */
  nextMessageID: number;
}

/**
 * A fresh context.
 *
 * @example
 * ```ts
 * const ctx = createContext(resolveOptions({}));
 * ```
 */
export function createContext(options: ResolvedOptions): EmulatorContext {
  return {
    options,
    users: new UserDirectory(),
    tickets: new TicketBook(),
    sessions: new SessionBook(options),
    connections: new Connections(),
    faults: new FaultState(),
    stats: new Stats(),
    timers: new Timers(),
    frames: new FrameLog(),
    requests: options.record ? new RequestLog() : undefined,
    url: '',
    closed: false,
    nextMessageID: 1,
  };
}
