/** The playground page's script entry, bundled by scripts/playground-client.ts. */
import { playgroundClient } from './client.js';

playgroundClient();
