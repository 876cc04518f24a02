/** The kit's seeded PRNG, shared by the model and the device tests (one copy, in src/testing). */
export { seeded } from '../../src/testing/seeded.js';
