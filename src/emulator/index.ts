/**
 * `taptalk-session/emulator`: a local, protocol-faithful TapTalk server (Node only).
 *
 * @example
 * ```ts
 * import { startEmulator } from 'taptalk-session/emulator';
 * const emulator = await startEmulator();
 * const ticket = await emulator.requestTicket({ xcUserID: 'alice', fullName: 'Alice' });
 * ```
 */
export { startEmulator } from './emulator.js';
export { runEmulatorCli } from './cli.js';
export { parseEmulatorArgs } from './cli-args.js';
export { TicketRequestError } from './request-ticket.js';
export { encodeKey } from './keys.js';
export type {
  Emulator,
  EmulatorFaults,
  EmulatorOptions,
  EmulatorPage,
  EmulatorStats,
  EmulatorTls,
  EmulatorTrust,
  InjectedFailure,
  KeyPair,
  ReceivedFrame,
  RecordedRequest,
  TicketUser,
} from './types.js';
