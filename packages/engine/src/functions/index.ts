/** Registers every built-in function family (imported for its side effects by the resolver). */
import './conditional.js';
import './aggregate.js';
import './generator.js';
import './hash.js';
import './json.js';
import './csv.js';
import './string.js';
import './math.js';
import './datetime.js';
import './collection.js';
import './misc.js';

export * from './registry.js';
