/**
 * `npm run size`: builds the IIFE if needed, prints its min+gzip size, exits 1 above the budget
 * (`SIZE_BUDGET_KIB` in scripts/size-lib.ts); `.ci/run` runs it as a check.
 * `npm run size -- --why` adds the minified bytes by package and source directory.
 */
import { formatSize, iifeBreakdown, iifeSize } from './size-lib.js';

iifeSize().then(
  async (size) => {
    console.log(formatSize(size));
    if (process.argv.includes('--why')) {
      for (const { origin, minBytes } of await iifeBreakdown()) console.log(`  ${String(minBytes).padStart(7)} B  ${origin}`);
    }
    if (!size.withinBudget) {
      console.error(`over the budget by ${(size.gzipKiB - size.budgetKiB).toFixed(1)} KiB (${size.gzipBytes} bytes gzip, ${size.minBytes} bytes minified)`);
      process.exitCode = 1;
    }
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
