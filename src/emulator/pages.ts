/**
 * Extra GET pages ({@link EmulatorOptions.pages}): content type by extension.
 */
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Content type of a page path.
 *
 * @example
 * ```ts
 * pageContentType('/'); // 'text/html; charset=utf-8'
 * pageContentType('/app.js'); // 'text/javascript; charset=utf-8'
 * ```
 */
export function pageContentType(pathname: string): string {
  return TYPES[extname(pathname).toLowerCase()] ?? 'application/octet-stream';
}
