/**
 * String functions with Spark's semantics (1-based positions, code-point lengths, Java regex and
 * java.util.Formatter behaviour where Spark inherits it).
 */
import { ExecutionError } from '../errors.js';
import type { BoundExpr } from '../expr/bound.js';
import { bindCase, javaRegex } from '../expr/conditional.js';
import { bindComparison } from '../expr/operators.js';
import { Decimal } from '../types/decimal.js';
import { formatDouble } from '../types/format.js';
import { arrayType, T } from '../types/types.js';
import { checkStringSize } from './limits.js';
import { coerceArgs, defineScalar, makeCall, registerFunction, typeMismatch } from './registry.js';

const utf8Enc = new TextEncoder();
const utf8Dec = new TextDecoder('utf-8');

function hasSurrogates(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/** Number of characters (code points), as Spark's UTF8String.numChars. */
export function numChars(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function chars(s: string): string[] {
  return hasSurrogates(s) ? [...s] : s.split('');
}

/** Spark's substring(str, pos, len): 1-based; 0 acts as 1; negative counts from the end. */
export function substringSql(s: string, pos: number, len = 2147483647): string {
  const cs = hasSurrogates(s) ? [...s] : null;
  const n = cs ? cs.length : s.length;
  let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  const end = Math.min(start + len, n);
  start = Math.max(start, 0);
  if (start >= end) return '';
  return cs ? cs.slice(start, end).join('') : s.slice(start, end);
}

const str = T.string;
const int = T.int;

defineScalar('upper', { args: [str], ret: str, inline: ([s]) => `${s}.toUpperCase()` }, 'ucase');
defineScalar('lower', { args: [str], ret: str, inline: ([s]) => `${s}.toLowerCase()` }, 'lcase');
defineScalar(
  'length',
  {
    args: ['stringOrBinary'],
    ret: int,
    fn: (s: string | Uint8Array) => (typeof s === 'string' ? numChars(s) : s.length),
  },
  'char_length',
  'character_length',
  'len',
);
defineScalar('octet_length', {
  args: ['stringOrBinary'],
  ret: int,
  fn: (s: string | Uint8Array) => (typeof s === 'string' ? utf8Enc.encode(s).length : s.length),
});
defineScalar('bit_length', {
  args: ['stringOrBinary'],
  ret: int,
  fn: (s: string | Uint8Array) => 8 * (typeof s === 'string' ? utf8Enc.encode(s).length : s.length),
});

registerFunction(
  {
    name: 'substring',
    kind: 'scalar',
    minArgs: 2,
    maxArgs: 3,
    bind: (raw, ctx, calledName) => {
      const isBinary = raw[0]!.dataType.kind === 'binary';
      const args = coerceArgs('substring', raw, [isBinary ? T.binary : str, int, int], ctx);
      const fn = isBinary
        ? (b: Uint8Array, pos: number, len = 2147483647) => {
            const n = b.length;
            let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
            const end = Math.min(start + len, n);
            start = Math.max(start, 0);
            return start >= end ? new Uint8Array(0) : b.slice(start, end);
          }
        : substringSql;
      const shown = [...args.map((a) => a.sql), ...(args.length === 2 ? ['2147483647'] : [])];
      return makeCall(
        'substring',
        args,
        isBinary ? T.binary : str,
        { fn },
        { sql: `${calledName ?? 'substring'}(${shown.join(', ')})` },
      );
    },
  },
  'substr',
);

defineScalar('left', {
  args: [str, int],
  ret: str,
  fn: (s: string, n: number) => (n <= 0 ? '' : substringSql(s, 1, n)),
});
defineScalar('right', {
  args: [str, int],
  ret: str,
  fn: (s: string, n: number) => (n <= 0 ? '' : substringSql(s, -n, 2147483647)),
});

function trimChars(s: string, set: string | null, left: boolean, right: boolean): string {
  const cs = chars(s);
  const bad = set === null ? (c: string) => c === ' ' : (c: string) => set.includes(c);
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && bad(cs[a]!)) a++;
  if (right) while (b > a && bad(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

for (const [name, left, right] of [
  ['trim', true, true],
  ['ltrim', true, false],
  ['rtrim', false, true],
] as const) {
  // One argument: trims spaces. Two arguments: (trimStr, str), Spark's function-call order.
  defineScalar(name, {
    args: [str, str],
    min: 1,
    max: 2,
    ret: str,
    fn: (a: string, b?: string) =>
      b === undefined ? trimChars(a, null, left, right) : trimChars(b, a, left, right),
  });
}
defineScalar('btrim', {
  args: [str, str],
  min: 1,
  max: 2,
  ret: str,
  fn: (s: string, t?: string) => trimChars(s, t ?? null, true, true),
});

function pad(s: string, len: number, p: string, left: boolean): string {
  if (len <= 0) return '';
  checkStringSize(left ? 'lpad' : 'rpad', len);
  const cs = chars(s);
  if (cs.length >= len) return cs.slice(0, len).join('');
  const pc = chars(p);
  if (pc.length === 0) return s;
  const need = len - cs.length;
  const fill: string[] = [];
  for (let i = 0; i < need; i++) fill.push(pc[i % pc.length]!);
  return left ? fill.join('') + s : s + fill.join('');
}

defineScalar('lpad', {
  args: [str, int, str],
  min: 2,
  max: 3,
  ret: str,
  fn: (s: string, n: number, p = ' ') => pad(s, n, p, true),
});
defineScalar('rpad', {
  args: [str, int, str],
  min: 2,
  max: 3,
  ret: str,
  fn: (s: string, n: number, p = ' ') => pad(s, n, p, false),
});

registerFunction({
  name: 'concat',
  kind: 'scalar',
  minArgs: 0,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (raw, ctx) => {
    if (
      raw.length > 0 &&
      raw.every((a) => a.dataType.kind === 'array' || a.dataType.kind === 'null') &&
      raw.some((a) => a.dataType.kind === 'array')
    ) {
      const first = raw.find((a) => a.dataType.kind === 'array')!;
      const args = raw.map((a) =>
        a.dataType.kind === 'null' ? { ...a, dataType: first.dataType } : a,
      ) as BoundExpr[];
      return makeCall('concat', args, first.dataType, {
        fn: (...as: unknown[][]) => ([] as unknown[]).concat(...as),
      });
    }
    if (raw.length > 0 && raw.every((a) => a.dataType.kind === 'binary')) {
      return makeCall('concat', raw, T.binary, {
        fn: (...bs: Uint8Array[]) => new Uint8Array(Buffer.concat(bs)),
      });
    }
    const args = coerceArgs('concat', raw, [str], ctx);
    return makeCall('concat', args, str, {
      inline: (as) => (as.length === 0 ? "''" : `(${as.join(' + ')})`),
    });
  },
});

registerFunction({
  name: 'concat_ws',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (raw, ctx) => {
    const args = raw.map((a, i) =>
      i > 0 && a.dataType.kind === 'array' ? a : coerceArgs('concat_ws', [a], [str], ctx)[0]!,
    );
    const fn = (sep: string | null, ...parts: unknown[]) => {
      if (sep === null) return null;
      const out: string[] = [];
      for (const p of parts) {
        if (p === null) continue;
        if (Array.isArray(p)) {
          for (const x of p) if (x !== null) out.push(String(x));
        } else out.push(p as string);
      }
      return out.join(sep);
    };
    return makeCall('concat_ws', args, str, { fn, nulls: 'raw' }, { nullable: args[0]!.nullable });
  },
});

/** Java's String.split(regex, limit) as Spark's split: limit > 0 caps the parts, otherwise all parts kept. */
export function splitRegex(s: string, re: RegExp, limit: number): string[] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: string[] = [];
  let last = 0;
  if (s.length === 0) return [''];
  for (let m = g.exec(s); m !== null; m = g.exec(s)) {
    if (limit > 0 && out.length === limit - 1) break;
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) {
        g.lastIndex++;
        continue;
      }
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].length === 0) g.lastIndex++;
  }
  out.push(s.slice(last));
  return out;
}

function regexCache(): (p: string) => RegExp {
  const cache = new Map<string, RegExp>();
  return (p) => {
    let r = cache.get(p);
    if (!r) {
      try {
        r = javaRegex(p);
      } catch (e) {
        throw new ExecutionError(
          'INVALID_PARAMETER_VALUE.PATTERN',
          `The value of parameter(s) \`regexp\` is invalid: ${(e as Error).message}.`,
        );
      }
      if (cache.size > 1000) cache.clear();
      cache.set(p, r);
    }
    return r;
  };
}

{
  const re = regexCache();
  defineScalar('split', {
    sqlDefaults: ['-1'],
    args: [str, str, int],
    min: 2,
    max: 3,
    ret: arrayType(str, false),
    fn: (s: string, p: string, limit = -1) => splitRegex(s, re(p), limit),
  });
}

defineScalar('split_part', {
  args: [str, str, int],
  ret: str,
  fn: (s: string, d: string, n: number) => {
    if (n === 0)
      throw new ExecutionError(
        'INVALID_INDEX_OF_ZERO',
        'The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).',
      );
    const parts = d === '' ? [s] : s.split(d);
    const i = n > 0 ? n - 1 : parts.length + n;
    return parts[i] ?? '';
  },
});

/** Converts a Java replacement string (`$1`, `${name}`, `\$`) into a replacer function. */
function javaReplacement(rep: string): (m: RegExpExecArray) => string {
  const parts: (string | number | { name: string })[] = [];
  let lit = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\' && i + 1 < rep.length) {
      lit += rep[++i];
    } else if (c === '$') {
      const named = /^\$\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rep.slice(i));
      const num = /^\$(\d)/.exec(rep.slice(i));
      if (named) {
        parts.push(lit, { name: named[1]! });
        lit = '';
        i += named[0].length - 1;
      } else if (num) {
        parts.push(lit, Number(num[1]));
        lit = '';
        i += 1;
      } else {
        throw new ExecutionError(
          'INVALID_PARAMETER_VALUE.PATTERN',
          `Illegal group reference in replacement '${rep}'.`,
        );
      }
    } else lit += c;
  }
  parts.push(lit);
  return (m) =>
    parts
      .map((p) =>
        typeof p === 'string' ? p : typeof p === 'number' ? (m[p] ?? '') : (m.groups?.[p.name] ?? ''),
      )
      .join('');
}

{
  const re = regexCache();
  defineScalar('regexp_replace', {
    sqlDefaults: ['1'],
    args: [str, str, str, int],
    min: 3,
    max: 4,
    ret: str,
    fn: (s: string, p: string, rep: string, pos = 1) => {
      const r = re(p);
      const g = new RegExp(r.source, `${r.flags}g`);
      const replacer = javaReplacement(rep);
      const start = Math.max(0, pos - 1);
      const head = s.slice(0, start);
      const tail = s.slice(start);
      let out = '';
      let last = 0;
      for (let m = g.exec(tail); m !== null; m = g.exec(tail)) {
        out += tail.slice(last, m.index) + replacer(m);
        last = m.index + m[0].length;
        if (m[0].length === 0) {
          if (m.index < tail.length) out += tail[m.index];
          last = m.index + 1;
          g.lastIndex = m.index + 1;
          if (m.index >= tail.length) break;
        }
      }
      return head + out + tail.slice(last);
    },
  });
}

function groupIndexError(count: number, idx: number): ExecutionError {
  return new ExecutionError(
    'INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX',
    `The value of parameter(s) \`idx\` in \`regexp_extract\` is invalid: Expects group index between 0 and ${count}, but got ${idx}.`,
  );
}

function groupCount(r: RegExp): number {
  return (new RegExp(`${r.source}|`, r.flags.replace('g', '')).exec('')?.length ?? 1) - 1;
}

{
  const re = regexCache();
  defineScalar('regexp_extract', {
    args: [str, str, int],
    min: 2,
    max: 3,
    ret: str,
    fn: (s: string, p: string, idx = 1) => {
      const r = re(p);
      const n = groupCount(r);
      if (idx < 0 || idx > n) throw groupIndexError(n, idx);
      const m = r.exec(s);
      if (!m) return '';
      return m[idx] ?? '';
    },
  });
  defineScalar('regexp_extract_all', {
    args: [str, str, int],
    min: 2,
    max: 3,
    ret: arrayType(str, false),
    fn: (s: string, p: string, idx = 1) => {
      const r = re(p);
      const n = groupCount(r);
      if (idx < 0 || idx > n) throw groupIndexError(n, idx);
      const g = new RegExp(r.source, `${r.flags}g`);
      const out: string[] = [];
      for (let m = g.exec(s); m !== null; m = g.exec(s)) {
        out.push(m[idx] ?? '');
        if (m[0].length === 0) g.lastIndex++;
      }
      return out;
    },
  });
  defineScalar(
    'regexp_like',
    { args: [str, str], ret: T.boolean, fn: (s: string, p: string) => re(p).test(s) },
    'regexp',
  );
  defineScalar('regexp_count', {
    args: [str, str],
    ret: int,
    fn: (s: string, p: string) => {
      const g = new RegExp(re(p).source, `${re(p).flags}g`);
      let n = 0;
      for (let m = g.exec(s); m !== null; m = g.exec(s)) {
        n++;
        if (m[0].length === 0) g.lastIndex++;
      }
      return n;
    },
  });
  defineScalar('regexp_substr', {
    args: [str, str],
    ret: str,
    nullable: true,
    fn: (s: string, p: string) => re(p).exec(s)?.[0] ?? null,
  });
  defineScalar('regexp_instr', {
    sqlDefaults: ['0'],
    args: [str, str],
    ret: int,
    fn: (s: string, p: string) => {
      const m = re(p).exec(s);
      return m ? numChars(s.slice(0, m.index)) + 1 : 0;
    },
  });
}

defineScalar('replace', {
  args: [str, str, str],
  min: 2,
  max: 3,
  ret: str,
  fn: (s: string, search: string, rep = '') => (search === '' ? s : s.split(search).join(rep)),
});

defineScalar('translate', {
  args: [str, str, str],
  ret: str,
  fn: (s: string, from: string, to: string) => {
    const f = chars(from);
    const t = chars(to);
    const map = new Map<string, string | null>();
    f.forEach((c, i) => {
      if (!map.has(c)) map.set(c, t[i] ?? null);
    });
    return chars(s)
      .map((c) => (map.has(c) ? (map.get(c) ?? '') : c))
      .join('');
  },
});

defineScalar('instr', {
  args: [str, str],
  ret: int,
  fn: (s: string, sub: string) => {
    const i = s.indexOf(sub);
    return i < 0 ? 0 : numChars(s.slice(0, i)) + 1;
  },
});

defineScalar(
  'locate',
  {
    sqlDefaults: ['1'],
    args: [str, str, int],
    min: 2,
    max: 3,
    ret: int,
    nulls: 'raw',
    nullable: true,
    fn: (sub: string | null, s: string | null, pos: number | null = 1) => {
      if (pos === null) return 0;
      if (sub === null || s === null) return null;
      if (pos < 1) return 0;
      const cs = chars(s);
      const prefix = cs.slice(0, pos - 1).join('');
      const i = s.indexOf(sub, prefix.length);
      return i < 0 ? 0 : numChars(s.slice(0, i)) + 1;
    },
  },
  'position',
);

defineScalar('substring_index', {
  args: [str, str, int],
  ret: str,
  fn: (s: string, d: string, count: number) => {
    if (count === 0 || d === '') return '';
    const parts = s.split(d);
    if (count > 0) return parts.slice(0, count).join(d);
    return parts.slice(Math.max(0, parts.length + count)).join(d);
  },
});

defineScalar('initcap', {
  args: [str],
  ret: str,
  fn: (s: string) =>
    s
      .toLowerCase()
      .split(' ')
      .map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1)))
      .join(' '),
});

defineScalar('repeat', {
  args: [str, int],
  ret: str,
  fn: (s: string, n: number) => {
    if (n <= 0) return '';
    checkStringSize('repeat', s.length * n);
    return s.repeat(n);
  },
});
defineScalar('space', {
  args: [int],
  ret: str,
  fn: (n: number) => {
    if (n <= 0) return '';
    checkStringSize('space', n);
    return ' '.repeat(n);
  },
});
defineScalar('ascii', { args: [str], ret: int, fn: (s: string) => (s.length === 0 ? 0 : s.codePointAt(0)!) });
defineScalar(
  'chr',
  {
    args: [T.long],
    ret: str,
    fn: (n: number) => {
      if (n < 0) return '';
      const c = n % 256;
      return c === 0 ? '\u0000' : String.fromCharCode(c);
    },
  },
  'char',
);
defineScalar('base64', {
  args: [T.binary],
  ret: str,
  fn: (b: Uint8Array) => Buffer.from(b).toString('base64'),
});
defineScalar('unbase64', {
  args: [str],
  ret: T.binary,
  fn: (s: string) => new Uint8Array(Buffer.from(s, 'base64')),
});
registerFunction({
  name: 'hex',
  kind: 'scalar',
  minArgs: 1,
  maxArgs: 1,
  bind: (raw, ctx) => {
    const a = raw[0]!;
    if (a.dataType.kind === 'binary' || a.dataType.kind === 'string') {
      const isStr = a.dataType.kind === 'string';
      return makeCall('hex', [a], str, {
        fn: (v: string | Uint8Array) =>
          Buffer.from(isStr ? utf8Enc.encode(v as string) : (v as Uint8Array))
            .toString('hex')
            .toUpperCase(),
      });
    }
    const [n] = coerceArgs('hex', raw, [T.long], ctx);
    return makeCall('hex', [n!], str, {
      fn: (v: number) => BigInt.asUintN(64, BigInt(v)).toString(16).toUpperCase(),
    });
  },
});
defineScalar('unhex', {
  args: [str],
  ret: T.binary,
  nullable: true,
  fn: (s: string) => {
    const t = s.length % 2 === 1 ? `0${s}` : s;
    if (!/^[0-9a-fA-F]*$/.test(t)) return null;
    return new Uint8Array(Buffer.from(t, 'hex'));
  },
});
defineScalar('bin', {
  args: [T.long],
  ret: str,
  fn: (n: number) => BigInt.asUintN(64, BigInt(n)).toString(2),
});
defineScalar('encode', {
  args: [str, str],
  ret: T.binary,
  fn: (s: string, cs: string) => new Uint8Array(Buffer.from(s, charset(cs))),
});
// decode(bin, charset) decodes bytes; decode(expr, search, result [, search, result]... [, default]) is
// Spark's CASE WHEN expr <=> search THEN result ... ELSE default END.
registerFunction({
  name: 'decode',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: Number.POSITIVE_INFINITY,
  bind(raw, ctx) {
    if (raw.length === 2) {
      const args = coerceArgs('decode', raw, [T.binary, str], ctx);
      const fn = (b: Uint8Array, cs: string) => Buffer.from(b).toString(charset(cs));
      return makeCall('decode', args, str, { fn });
    }
    const [subject, ...rest] = raw as [BoundExpr, ...BoundExpr[]];
    const branches: { when: BoundExpr; value: BoundExpr }[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) {
      branches.push({ when: bindComparison('<=>', subject, rest[i]!, ctx.ansi), value: rest[i + 1]! });
    }
    const otherwise = rest.length % 2 === 1 ? rest[rest.length - 1] : undefined;
    return bindCase(branches, otherwise, ctx.ansi, `decode(${raw.map((a) => a.sql).join(', ')})`);
  },
});

function charset(cs: string): BufferEncoding {
  const c = cs.toLowerCase().replace(/[-_]/g, '');
  switch (c) {
    case 'utf8':
      return 'utf8';
    case 'usascii':
    case 'ascii':
      return 'ascii';
    case 'iso88591':
    case 'latin1':
      return 'latin1';
    case 'utf16le':
      return 'utf16le';
    default:
      throw new ExecutionError(
        'INVALID_PARAMETER_VALUE.CHARSET',
        `The value of parameter(s) \`charset\` is invalid: expects one of the charsets 'US-ASCII', 'ISO-8859-1', 'UTF-8', 'UTF-16LE', but got ${cs}.`,
      );
  }
}

defineScalar(
  'startswith',
  { args: [str, str], ret: T.boolean, inline: ([a, b]) => `${a}.startsWith(${b})` },
  'starts_with',
);
defineScalar(
  'endswith',
  { args: [str, str], ret: T.boolean, inline: ([a, b]) => `${a}.endsWith(${b})` },
  'ends_with',
);
defineScalar('contains', { args: [str, str], ret: T.boolean, inline: ([a, b]) => `${a}.includes(${b})` });

defineScalar('levenshtein', {
  args: [str, str],
  ret: int,
  fn: (a: string, b: string) => {
    const x = chars(a);
    const y = chars(b);
    let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
      const cur = [i];
      for (let j = 1; j <= y.length; j++)
        cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[y.length]!;
  },
});

defineScalar('soundex', {
  args: [str],
  ret: str,
  fn: (s: string) => {
    if (s.length === 0 || !/[a-zA-Z]/.test(s[0]!)) return s;
    const codes: Record<string, string> = {};
    for (const [letters, d] of [
      ['BFPV', '1'],
      ['CGJKQSXZ', '2'],
      ['DT', '3'],
      ['L', '4'],
      ['MN', '5'],
      ['R', '6'],
    ] as const) {
      for (const l of letters) codes[l] = d;
    }
    const u = s.toUpperCase();
    let out = u[0]!;
    let last = codes[u[0]!] ?? '';
    for (let i = 1; i < u.length && out.length < 4; i++) {
      const c = u[i]!;
      const d = codes[c];
      if (d) {
        if (d !== last) out += d;
        last = d;
      } else if (c !== 'H' && c !== 'W') last = '';
    }
    return out.padEnd(4, '0');
  },
});

defineScalar('find_in_set', {
  args: [str, str],
  ret: int,
  fn: (s: string, list: string) => (s.includes(',') ? 0 : list.split(',').indexOf(s) + 1),
});

registerFunction({
  name: 'elt',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: Number.POSITIVE_INFINITY,
  bind: (raw, ctx) => {
    const args = coerceArgs('elt', raw, [int, str], ctx);
    return makeCall('elt', args, str, {
      nulls: 'raw',
      fn: (n: number | null, ...vs: (string | null)[]) => {
        if (n === null) return null;
        if (n < 1 || n > vs.length) {
          if (ctx.ansi)
            throw new ExecutionError(
              'INVALID_ARRAY_INDEX',
              `The index ${n} is out of bounds. The array has ${vs.length} elements. Use \`try_element_at\` to tolerate accessing element at invalid index and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.`,
            );
          return null;
        }
        return vs[n - 1] ?? null;
      },
    });
  },
});

defineScalar('overlay', {
  sqlDefaults: ['-1'],
  args: [str, str, int, int],
  min: 3,
  max: 4,
  ret: str,
  fn: (input: string, rep: string, pos: number, len?: number) => {
    const cs = chars(input);
    const l = len === undefined || len < 0 ? numChars(rep) : len;
    return cs.slice(0, Math.max(0, pos - 1)).join('') + rep + cs.slice(Math.max(0, pos - 1 + l)).join('');
  },
});

// ---------------- format_number / format_string ----------------

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounds HALF_EVEN to d decimals using exact decimal arithmetic on the value's shortest text. */
function roundHalfEven(v: Decimal, d: number): Decimal {
  if (v.scale <= d) return v.setScale(d);
  const down = v.setScaleDown(d);
  const diff = v.subtract(down).abs();
  const half = new Decimal(5n, d + 1);
  const c = diff.compare(half);
  const away = () => down.add(new Decimal(BigInt(v.signum()), d));
  if (c > 0) return away();
  if (c < 0) return down;
  return down.unscaled % 2n === 0n ? down : away();
}

/** java.text.DecimalFormat for plain patterns (`#,##0.00`, `##.###`, `0000`): grouping, min/max digits, HALF_EVEN. */
export function decimalFormat(v: Decimal, pattern: string): string {
  const m = /^([^#0,.]*)([#0,]*)(?:\.([#0]*))?(.*)$/.exec(pattern);
  if (!m) throw new ExecutionError('INVALID_PARAMETER_VALUE', `Malformed pattern "${pattern}".`);
  const [, prefix = '', intPat = '', fracPat = '', suffix = ''] = m;
  const lastComma = intPat.lastIndexOf(',');
  const groupSize = lastComma < 0 ? 0 : intPat.length - lastComma - 1;
  const minInt = (intPat.match(/0/g) ?? []).length;
  const minFrac = (fracPat.match(/0/g) ?? []).length;
  const maxFrac = fracPat.length;
  const r = roundHalfEven(v, maxFrac).abs().toString();
  let [ip = '0', fp = ''] = r.split('.');
  while (fp.length > minFrac && fp.endsWith('0')) fp = fp.slice(0, -1);
  ip = ip.replace(/^0+/, '');
  if (ip.length < minInt) ip = ip.padStart(minInt, '0');
  if (groupSize > 0) ip = ip.replace(new RegExp(`\\B(?=(\\d{${groupSize}})+(?!\\d))`, 'g'), ',');
  const body = ip + (fp.length > 0 ? `.${fp}` : '');
  const neg = v.signum() < 0 && /[1-9]/.test(body);
  return `${neg ? '-' : ''}${prefix}${body === '' ? '0' : body}${suffix}`;
}

registerFunction({
  name: 'format_number',
  kind: 'scalar',
  minArgs: 2,
  maxArgs: 2,
  bind: (raw, ctx) => {
    const [x] = coerceArgs('format_number', [raw[0]!], ['numeric'], ctx);
    const dArg = raw[1]!;
    if (dArg.dataType.kind === 'string') {
      const fn = (v: number | Decimal, pattern: string) => {
        if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '-∞';
        return decimalFormat(typeof v === 'number' ? Decimal.fromNumber(v) : v, pattern);
      };
      return makeCall('format_number', [x!, dArg], str, { fn }, { nullable: true });
    }
    const [d] = coerceArgs('format_number', [dArg], [int], ctx);
    const fn = (v: number | Decimal, digits: number) => {
      if (digits < 0) return null;
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '-∞';
      const dec = typeof v === 'number' ? Decimal.fromNumber(v) : v;
      const r = roundHalfEven(dec, digits).toString();
      const neg = r.startsWith('-');
      const body = neg ? r.slice(1) : r;
      const [ip, fp] = body.split('.') as [string, string | undefined];
      const text = groupThousands(ip) + (fp ? `.${fp}` : '');
      return neg && /[1-9]/.test(text) ? `-${text}` : text;
    };
    return makeCall('format_number', [x!, d!], str, { fn }, { nullable: true });
  },
});

/** java.util.Formatter for the common conversions: %s %d %f %e %x %o %c %b %% %n, flags -,+0( and width/precision. */
export function javaFormat(fmt: string, args: readonly unknown[], types: readonly string[]): string {
  let auto = 0;
  return fmt.replace(
    /%(\d+\$)?([-#+ 0,(]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g,
    (
      all,
      posArg: string | undefined,
      flags: string,
      width: string | undefined,
      prec: string | undefined,
      conv: string,
    ) => {
      if (conv === '%') return '%';
      if (conv === 'n') return '\n';
      const idx = posArg ? Number(posArg.slice(0, -1)) - 1 : auto++;
      if (idx >= args.length) {
        throw new ExecutionError(
          'INVALID_PARAMETER_VALUE',
          `Format specifier '${all}' has no matching argument.`,
        );
      }
      const v = args[idx];
      const t = types[idx] ?? 'string';
      let out: string;
      const upper = conv === conv.toUpperCase() && conv !== conv.toLowerCase();
      switch (conv.toLowerCase()) {
        case 's':
          out = v === null ? 'null' : t === 'double' || t === 'float' ? formatDouble(v as number) : String(v);
          if (prec) out = out.slice(0, Number(prec));
          break;
        case 'b':
          out = v === null ? 'false' : typeof v === 'boolean' ? String(v) : 'true';
          break;
        case 'c':
          out = v === null ? 'null' : typeof v === 'number' ? String.fromCodePoint(v) : String(v);
          break;
        case 'd': {
          if (v === null) {
            out = 'null';
            break;
          }
          const n = v instanceof Decimal ? v.toBigInt() : BigInt(Math.trunc(v as number));
          let body = (n < 0n ? -n : n).toString();
          if (flags.includes(',')) body = groupThousands(body);
          out =
            n < 0n
              ? flags.includes('(')
                ? `(${body})`
                : `-${body}`
              : flags.includes('+')
                ? `+${body}`
                : flags.includes(' ')
                  ? ` ${body}`
                  : body;
          break;
        }
        case 'x':
        case 'o': {
          if (v === null) {
            out = 'null';
            break;
          }
          const bits = t === 'long' ? 64 : 32;
          out = BigInt.asUintN(bits, BigInt(Math.trunc(v as number))).toString(
            conv.toLowerCase() === 'x' ? 16 : 8,
          );
          break;
        }
        case 'f':
        case 'e': {
          if (v === null) {
            out = 'null';
            break;
          }
          const n = v instanceof Decimal ? v.toNumber() : (v as number);
          const p = prec ? Number(prec) : 6;
          if (!Number.isFinite(n)) out = Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
          else if (conv.toLowerCase() === 'f') {
            const dec = v instanceof Decimal ? v : Decimal.fromNumber(n);
            const r = dec.setScale(p).abs().toString();
            const [ip, fp] = r.split('.') as [string, string | undefined];
            out = (flags.includes(',') ? groupThousands(ip) : ip) + (fp ? `.${fp}` : '');
            if (n < 0 || Object.is(n, -0)) out = flags.includes('(') ? `(${out})` : `-${out}`;
            else if (flags.includes('+')) out = `+${out}`;
            else if (flags.includes(' ')) out = ` ${out}`;
          } else {
            out = n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
            if (flags.includes('+') && n >= 0) out = `+${out}`;
          }
          break;
        }
        default:
          throw new ExecutionError('INVALID_PARAMETER_VALUE', `Unsupported format conversion '${conv}'.`);
      }
      if (upper) out = out.toUpperCase();
      if (width && out.length < Number(width)) {
        const w = Number(width);
        checkStringSize('format_string', w);
        if (flags.includes('-')) out = out.padEnd(w, ' ');
        else if (flags.includes('0') && /[dxofe]/i.test(conv)) {
          const sign = /^[+-]/.test(out) ? out[0]! : '';
          out = sign + out.slice(sign.length).padStart(w - sign.length, '0');
        } else out = out.padStart(w, ' ');
      }
      return out;
    },
  );
}

registerFunction(
  {
    name: 'format_string',
    kind: 'scalar',
    minArgs: 1,
    maxArgs: Number.POSITIVE_INFINITY,
    bind: (raw, ctx) => {
      const [f] = coerceArgs('format_string', [raw[0]!], [str], ctx);
      const rest = raw.slice(1);
      const types = rest.map((a) => a.dataType.kind);
      const fn = (fmt: string | null, ...vs: unknown[]) => (fmt === null ? null : javaFormat(fmt, vs, types));
      return makeCall('format_string', [f!, ...rest], str, { fn, nulls: 'raw' }, { nullable: f!.nullable });
    },
  },
  'printf',
);

defineScalar('uuid', {
  args: [],
  ret: str,
  nondeterministic: true,
  nullable: false,
  fn: () => crypto.randomUUID(),
});

defineScalar('to_binary', {
  args: [str, str],
  min: 1,
  max: 2,
  ret: T.binary,
  nullable: true,
  fn: (s: string, fmt = 'hex') => {
    const f = fmt.toLowerCase();
    if (f === 'hex')
      return /^[0-9a-fA-F]*$/.test(s) ? new Uint8Array(Buffer.from(s.length % 2 ? `0${s}` : s, 'hex')) : null;
    if (f === 'utf-8' || f === 'utf8') return utf8Enc.encode(s);
    if (f === 'base64') return new Uint8Array(Buffer.from(s, 'base64'));
    throw typeMismatch('to_binary', `invalid format '${fmt}'`, 'INVALID_ARG_VALUE');
  },
});

export { utf8Dec };

// ---------------- validation and masking ----------------

defineScalar('luhn_check', {
  args: [str],
  ret: T.boolean,
  fn: (s: string) => {
    if (!/^\d+$/.test(s)) return false;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let d = s.charCodeAt(s.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 === 0;
  },
});

defineScalar('quote', {
  args: [str],
  ret: str,
  fn: (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
});

defineScalar('mask', {
  args: [str, str, str, str, str],
  min: 1,
  max: 5,
  ret: str,
  nulls: 'raw',
  nullable: (a) => a[0]!.nullable,
  sqlDefaults: ["'X'", "'x'", "'n'", 'NULL'],
  fn: (
    s: string | null,
    upper: string | null = 'X',
    lower: string | null = 'x',
    digit: string | null = 'n',
    other: string | null = null,
  ) => {
    if (s === null) return null;
    let out = '';
    for (const c of s) {
      if (c >= 'A' && c <= 'Z') out += upper ?? c;
      else if (c >= 'a' && c <= 'z') out += lower ?? c;
      else if (c >= '0' && c <= '9') out += digit ?? c;
      else out += other ?? c;
    }
    return out;
  },
});

// JS strings are always valid UTF-16; text decoded from binary replaced invalid sequences already.
defineScalar('is_valid_utf8', { args: [str], ret: T.boolean, fn: () => true });
defineScalar('validate_utf8', { args: [str], ret: str, fn: (s: string) => s });
defineScalar('make_valid_utf8', { args: [str], ret: str, fn: (s: string) => s });
defineScalar('try_validate_utf8', { args: [str], ret: str, fn: (s: string) => s });

defineScalar('try_to_binary', {
  args: [str, str],
  min: 1,
  max: 2,
  ret: T.binary,
  nullable: true,
  fn: (s: string, fmt = 'hex') => {
    const f = fmt.toLowerCase();
    if (f === 'hex')
      return /^[0-9a-fA-F]*$/.test(s) ? new Uint8Array(Buffer.from(s.length % 2 ? `0${s}` : s, 'hex')) : null;
    if (f === 'utf-8' || f === 'utf8') return utf8Enc.encode(s);
    if (f === 'base64')
      return /^[A-Za-z0-9+/]*={0,2}$/.test(s) ? new Uint8Array(Buffer.from(s, 'base64')) : null;
    return null;
  },
});
