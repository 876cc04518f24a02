import { afterEach, describe, expect, it, vi } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { memoryStorage, storageKeys, webStorage } from '../../src/storage/index.js';

/** A minimal Web Storage stand-in. */
function fakeStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('memoryStorage', () => {
  it('round-trips values and returns null for missing keys', () => {
    const storage = memoryStorage();
    expect(storage.getItem('k')).toBeNull();
    storage.setItem('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    storage.removeItem('k');
    expect(storage.getItem('k')).toBeNull();
  });

  it('starts from the initial entries and snapshots a copy', () => {
    const storage = memoryStorage({ a: '1' });
    storage.setItem('b', '2');
    const snapshot = storage.snapshot();
    expect(snapshot).toEqual({ a: '1', b: '2' });
    snapshot.a = 'changed';
    expect(storage.getItem('a')).toBe('1');
  });

  it('never shares data between two calls', () => {
    const one = memoryStorage();
    const two = memoryStorage();
    one.setItem('k', 'v');
    expect(two.getItem('k')).toBeNull();
  });
});

describe('webStorage', () => {
  it('round-trips through the given storage', () => {
    const fake = fakeStorage();
    const storage = webStorage(fake);
    storage.setItem('k', 'v');
    expect(fake.map.get('k')).toBe('v');
    expect(storage.getItem('k')).toBe('v');
    storage.removeItem('k');
    expect(storage.getItem('k')).toBeNull();
  });

  it('looks up globalThis.localStorage at the first call, not at creation (SSR-safe)', () => {
    const storage = webStorage();
    const fake = fakeStorage();
    vi.stubGlobal('localStorage', fake);
    storage.setItem('k', 'v');
    expect(fake.map.get('k')).toBe('v');
  });

  it('throws 95011 at use when there is no localStorage', () => {
    vi.stubGlobal('localStorage', undefined);
    const storage = webStorage();
    expect(() => storage.getItem('k')).toThrow(expect.objectContaining({ code: '95011' }));
  });

  it('throws 95011 when reading localStorage itself throws (sandboxed frame)', () => {
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    try {
      expect(() => webStorage().getItem('k')).toThrow(expect.objectContaining({ code: '95011' }));
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it('wraps storage failures (quota) as a retryable 95010', () => {
    const storage = webStorage({
      ...fakeStorage(),
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    });
    let caught: unknown;
    try {
      storage.setItem('k', 'v');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TapTalkError);
    expect((caught as TapTalkError).code).toBe('95010');
    expect((caught as TapTalkError).retryable).toBe(true);
  });
});

describe('storageKeys', () => {
  it('namespaces the session and shares the device key', () => {
    expect(storageKeys('app1')).toEqual({ session: 'taptalk-session:app1:session', device: 'taptalk-session:device' });
    expect(storageKeys('app2').device).toBe(storageKeys('app1').device);
    expect(storageKeys('app2').session).not.toBe(storageKeys('app1').session);
  });
});
