export * from './data-type.js';
export * from './datetime.js';
export * from './decimal.js';
export * from './format.js';
export * from './interval.js';
export * from './types.js';
