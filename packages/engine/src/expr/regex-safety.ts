/**
 * Bounds the work of a catastrophic regular expression. Spark runs Java's backtracking engine, and so
 * does JavaScript: `regexp_extract(repeat('a', 30) || '!', '(a+)+$', 0)` held the event loop for over a
 * minute — every query and the server hosting them. V8 ships a linear-time engine that takes over from
 * backtracking after a bounded number of backtracks; this turns it on for the whole process when the
 * engine is loaded. It applies to patterns without the `u` and `i` flags (see `javaRegex`).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
