/**
 * A session's effects, built once from its options: the storage it reads and writes (the stored
 * session, the device id), the HTTP settings, the socket, the outbox, the project configs. Every bit
 * of a session's I/O happens here or in the actors that use these; `createSession` only wires them.
 */
import { platform } from '#platform';
import type { StoredState } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import type { EnvironmentSource } from '../platform/ports.js';
import { systemClock } from '../platform/system-clock.js';
import { fetchProjectConfigs } from '../protocol/endpoints.js';
import type { ServerEvent } from '../protocol/frames.js';
import type { HttpConfig } from '../protocol/http.js';
import { encodeAppKey } from '../protocol/identity.js';
import type { ProjectConfigs } from '../protocol/validate.js';
import { check, type CheckedOptions, type SessionOptions } from '../options.js';
import { storageKeys } from '../storage/keys.js';
import { withDeadline } from './storage-deadline.js';
import { adoptOfficialSession } from '../storage/official-session.js';
import { SDK_VERSION } from '../version.js';
import type { ActorDeps } from './deps.js';
import { loadDeviceID } from './device-id.js';
import { createOutbox } from './outbox.js';
import { createSessionStore } from './session-store.js';

/** A session's effects: what its actors use, and the few its methods use directly. */
export interface Effects extends ActorDeps {
  /**
   * Reads the stored session now: what synchronous storage holds (SES-41; `null`: none), or
   * `undefined` when storage answers later. The machine calls it once, at start, and keeps what it
   * returns in its context only (SES-17): nothing here holds the restored tokens.
   */
  preload(): StoredState | null | undefined;
  /** Siblings on the same storage are followed (SES-80). */
  coordinated: boolean;
  /** Where the environment events come from (`false`: none). */
  environment: EnvironmentSource | false;
  /** This installation's `Device-Identifier`, `null` until storage answered. */
  deviceID(): string | null;
  /** The project configs, fetched once and kept (a failed fetch is not); `refresh` fetches again. */
  projectConfigs(refresh: boolean): Promise<ProjectConfigs>;
  /** Aborts what runs outside the machine (project configs, client API calls): dispose leaves none running. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/** Where the effects report what the app sees on its streams. */
export interface EffectSinks {
  event(event: ServerEvent): void;
  /** A failure, reported at once (a frame error) ... */
  error(error: TapTalkError): void;
  /** ... or after the current step (a storage failure no caller awaits). */
  reportLater(error: TapTalkError): void;
}

/** A runtime default the app must pass where the runtime has none. */
function required<T>(value: T | undefined, name: string): T {
  check(typeof value === 'function', `no ${name} in this runtime; pass one`);
  return value!;
}

/** The HTTP settings, once the device id is known. */
function httpConfig(checked: CheckedOptions, options: SessionOptions, deviceID: string, base: Pick<HttpConfig, 'fetch' | 'timers'>): HttpConfig {
  return {
    ...base,
    baseUrl: checked.baseUrl,
    timeoutMs: checked.requestTimeoutMs,
    maxBodyBytes: checked.maxBodyBytes,
    identity: {
      appKey: encodeAppKey(checked.appID, checked.appSecret),
      deviceID,
      deviceModel: options.deviceModel ?? platform.deviceModel(),
      platform: options.platform ?? platform.devicePlatform,
      sdkVersion: SDK_VERSION,
    },
  };
}

/** Builds a session's effects. Throws `95011` when the runtime lacks a default the app did not pass. */
export function createEffects(checked: CheckedOptions, options: SessionOptions, sinks: EffectSinks): Effects {
  const clock = options.clock ?? systemClock();
  const keys = storageKeys(checked.namespace);
  // SES-57: every storage call has a deadline, the official session's adoption included.
  const given = withDeadline(options.storage ?? platform.defaultStorage(), checked.storageTimeoutMs, clock);
  // SES-44: a first start takes over what TapTalk's official web SDK left in this storage.
  const storage = options.adoptOfficialSession === false ? given : adoptOfficialSession(given, keys);
  const fetchFn = required(options.fetch ?? (globalThis.fetch as typeof fetch | undefined), 'fetch');
  const WebSocket = required(options.WebSocket ?? platform.WebSocket, 'WebSocket');
  const disposal = new AbortController();

  let deviceID: string | null = null;
  const http = loadDeviceID(storage, keys.device, checked.random, disposal.signal).then((id) => {
    deviceID = id;
    return httpConfig(checked, options, id, { fetch: fetchFn, timers: clock });
  });
  // Siblings are followed where the storage can tell of them, unless the app says otherwise (SES-80).
  const coordinated = options.coordinate ?? storage.coordination !== undefined;
  const store = createSessionStore(storage, keys.session, checked.settings, sinks.reportLater, coordinated);
  let configs: Promise<ProjectConfigs> | null = null;

  return {
    settings: checked.settings,
    clock,
    store,
    preload: () => store.preload(clock.now()),
    coordinated,
    ...(coordinated && storage.coordination ? { siblings: { coordination: storage.coordination, key: keys.session } } : {}),
    http: () => http,
    WebSocket,
    openTransport: platform.openTransport,
    maxFrameBytes: checked.maxBodyBytes,
    environment: options.environment ?? platform.environment,
    outbox: createOutbox(checked.maxQueuedFrames),
    event: sinks.event,
    error: sinks.error,
    deviceID: () => deviceID,
    projectConfigs(refresh) {
      if (!configs || refresh) {
        const fetching = http.then((cfg) => fetchProjectConfigs(cfg, disposal.signal)).catch((error: unknown) => {
          throw disposal.signal.aborted ? new TapTalkError('95012') : error;
        });
        configs = fetching;
        fetching.catch(() => {
          if (configs === fetching) configs = null; // a failure is not worth keeping
        });
      }
      return configs;
    },
    signal: disposal.signal,
    dispose: () => disposal.abort(),
  };
}
