/** The seeded random query corpus and result comparison, for differential tests against other engines. */
export { resultsAgree, sqlLiteral } from './compare.js';
export { type GeneratedQuery, generateQuery, generateTables, rng, type Table } from './generator.js';
