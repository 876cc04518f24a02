/**
 * `npm run size`: builds the IIFE if needed, prints its min+gzip size, exits 1 above the budget.
 * `npm run size -- --why` adds the minified bytes by package and source directory.
 * `npm run size -- --ceiling` exits 1 above {@link SIZE_CEILING_KIB} instead (CI's no-growth check).
 */
import { formatSize, iifeBreakdown, iifeSize, SIZE_CEILING_KIB } from './size-lib.js';

iifeSize().then(
  async (measured) => {
    const limit = process.argv.includes('--ceiling') ? 'ceiling' : 'budget';
    const size = limit === 'ceiling' ? { ...measured, budgetKiB: SIZE_CEILING_KIB, withinBudget: measured.gzipKiB <= SIZE_CEILING_KIB } : measured;
    console.log(formatSize(size, limit));
    if (process.argv.includes('--why')) {
      for (const { origin, minBytes } of await iifeBreakdown()) console.log(`  ${String(minBytes).padStart(7)} B  ${origin}`);
    }
    if (!size.withinBudget) {
      console.error(`over the ${limit} by ${(size.gzipKiB - size.budgetKiB).toFixed(1)} KiB (${size.gzipBytes} bytes gzip, ${size.minBytes} bytes minified)`);
      process.exitCode = 1;
    }
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
