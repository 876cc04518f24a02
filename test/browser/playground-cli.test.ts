/**
 * The playground as users start it from a checkout (issue 10 §1): `npm run emulator` (tsx from
 * source) in its own process, opened in Chromium (playground-flow.ts). The in-process test
 * (playground.test.ts) runs under vitest's transform, which hid a page script broken under tsx.
 * The built command, as a project that installed the package runs it, is checked by
 * test/package/consumer.test.ts.
 */
import { ROOT } from '../../scripts/build-iife.js';
import { startChildServer } from '../support/child-server.js';
import { describePlayground, PLAYGROUND_READY } from './playground-flow.js';

describePlayground('the playground under npm run emulator', () =>
  startChildServer('npm', ['run', 'emulator', '--', '--port', '0'], ROOT, PLAYGROUND_READY, 45_000),
);
