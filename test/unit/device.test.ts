import { describe, expect, it } from 'vitest';
import { generateDeviceID, loadDeviceID } from '../../src/actors/device-id.js';
import { defaultDeviceModel } from '../../src/platform/device-model.js';
import { memoryStorage } from '../../src/storage/memory.js';
import type { StorageAdapter } from '../../src/storage/types.js';
import { seeded } from '../support/seeded.js';

const DEVICE_ID = /^[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('generateDeviceID', () => {
  it('has the web SDK shape: 16 hex, a dash, and a v4-looking UUID', () => {
    for (let seed = 0; seed < 50; seed++) expect(generateDeviceID(seeded(seed))).toMatch(DEVICE_ID);
  });

  it('is deterministic for a seeded random', () => {
    expect(generateDeviceID(seeded(42))).toBe(generateDeviceID(seeded(42)));
    expect(generateDeviceID(seeded(42))).not.toBe(generateDeviceID(seeded(43)));
  });

  it('still gives a well-formed id from a broken random source', () => {
    expect(generateDeviceID(() => Number.NaN)).toMatch(DEVICE_ID);
    expect(generateDeviceID(() => 1)).toMatch(DEVICE_ID);
    expect(generateDeviceID(() => -5)).toMatch(DEVICE_ID);
  });
});

describe('loadDeviceID', () => {
  const key = 'taptalk-session:device';

  it('creates and stores an id once, then reuses it', async () => {
    const storage = memoryStorage();
    const first = await loadDeviceID(storage, key, seeded(1));
    expect(first).toMatch(DEVICE_ID);
    expect(storage.snapshot()).toEqual({ [key]: first });
    expect(await loadDeviceID(storage, key, seeded(2))).toBe(first);
  });

  it('keeps an id stored in another usable format', async () => {
    const storage = memoryStorage({ [key]: 'legacy-device-123' });
    expect(await loadDeviceID(storage, key, seeded(1))).toBe('legacy-device-123');
  });

  it.each([[''], ['has spaces'], ['line\nbreak'], ['x'.repeat(200)]])('replaces an unusable stored value %j', async (bad) => {
    const storage = memoryStorage({ [key]: bad });
    const id = await loadDeviceID(storage, key, seeded(1));
    expect(id).toMatch(DEVICE_ID);
    expect(storage.snapshot()[key]).toBe(id);
  });

  it('returns a fresh id when reading fails, without throwing', async () => {
    const failing: StorageAdapter = {
      getItem: () => Promise.reject(new Error('disk gone')),
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    expect(await loadDeviceID(failing, key, seeded(3))).toBe(generateDeviceID(seeded(3)));
  });

  it('returns the new id when writing fails, without throwing', async () => {
    const failing: StorageAdapter = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    };
    expect(await loadDeviceID(failing, key, seeded(4))).toMatch(DEVICE_ID);
  });
});

describe('defaultDeviceModel', () => {
  it('describes Node with its version and platform', () => {
    expect(defaultDeviceModel()).toBe(`Node.js ${process.versions.node} (${process.platform})`);
  });

  it('uses userAgentData when the browser offers it', () => {
    const navigator = {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      userAgentData: { platform: 'Linux', brands: [{ brand: 'Google Chrome' }] },
    };
    expect(defaultDeviceModel({ navigator })).toBe('Chrome on Linux');
  });

  it('takes the browser from userAgentData brands when the user agent was overridden', () => {
    const navigator = {
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      userAgentData: { platform: 'Windows', brands: [{ brand: 'Not A(Brand' }, { brand: 'Microsoft Edge' }] },
    };
    expect(defaultDeviceModel({ navigator })).toBe('Edge on Windows');
  });

  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
  ])('reads the user agent family, not navigator.appName: %s', (userAgent, expected) => {
    expect(defaultDeviceModel({ navigator: { userAgent } })).toBe(expected);
  });

  it('prefers the browser over a bundler process polyfill without versions.node', () => {
    expect(defaultDeviceModel({ process: { versions: {} }, navigator: { userAgent: 'Firefox/1 (Windows)' } })).toBe('Firefox on Windows');
  });

  it('works with no globals at all', () => {
    expect(defaultDeviceModel({})).toBe('Unknown browser');
  });
});
