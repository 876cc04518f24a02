/**
 * `npm run size`: builds the IIFE if needed, prints its min+gzip size, exits 1 above the budget.
 */
import { formatSize, iifeSize } from './size-lib.js';

iifeSize().then(
  (size) => {
    console.log(formatSize(size));
    if (!size.withinBudget) {
      console.error(`over budget by ${(size.gzipKiB - size.budgetKiB).toFixed(1)} KiB (${size.gzipBytes} bytes gzip, ${size.minBytes} bytes minified)`);
      process.exitCode = 1;
    }
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
