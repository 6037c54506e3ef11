/** Registers every built-in function family (imported for its side effects by the resolver). */
import './conditional.js';
import './aggregate.js';
import './generator.js';
import './hash.js';
import './json.js';

export * from './registry.js';
