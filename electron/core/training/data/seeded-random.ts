// The seeded PRNG lives in training/portable/ (the Chromium trainer draws from it too); data/ imports it here.
export { mulberry32, randomIndex, seededPermutation, shuffleInPlace } from '../portable/seeded-random.js';
