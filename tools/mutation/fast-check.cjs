/**
 * fast-check as the tests of `npm run test:mutation` see it (jest.config.cjs maps `fast-check` here): the same
 * library, every property run with a fixed seed and at most MAX_RUNS cases. Jest gives a mutant every test that
 * covers it, so a property of 1,000 cases would run 1,000 times per mutant; 100 fixed cases keep the property's
 * power against a mutant (each one breaks a rule for most inputs) at a tenth of the cost, and give the same
 * verdict on every run (the incremental baseline stays true). `npm test` runs the properties unchanged.
 */
// by its file: jest resolves `fast-check` (with any resolver it wraps) back to this module
const real = require(require('node:path').join(require.resolve('fast-check/package.json'), '../lib/cjs/fast-check.js'));

const MAX_RUNS = 100;
const SEED = 17;

const limited = (params) => ({ ...params, seed: SEED, numRuns: Math.min(params?.numRuns ?? MAX_RUNS, MAX_RUNS) });

// every export (fast-check defines them as accessors, which a spread would skip), then the two wrapped
const fc = {};
for (const name of Object.getOwnPropertyNames(real)) if (name !== 'default' && name !== '__esModule') fc[name] = real[name];
fc.assert = (property, params) => real.assert(property, limited(params));
fc.check = (property, params) => real.check(property, limited(params));
fc.default = fc;
Object.defineProperty(fc, '__esModule', { value: true });
module.exports = fc;
