import type {
  CreateViewStatement,
  DescribeStatement,
  ExplainStatement,
  ResetStatement,
  SetStatement,
  ShowFunctionsStatement,
  Statement,
} from './ast.js';
import { checkedIdentifier, identifier, isIdentifier } from './expr-parser.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';
import { parseQueryAt, startsQuery } from './query.js';
import { tableName } from './relation.js';

/**
 * Statements: queries, `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW`, `DROP VIEW`,
 * `EXPLAIN [mode]`, `DESC[RIBE]`, `SHOW TABLES|VIEWS|FUNCTIONS|COLUMNS`, `SET`, `RESET`.
 */

/** Spark statements Sluice recognises but does not implement (NotImplementedError, not a syntax error). */
const UNSUPPORTED_STATEMENTS = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'ALTER',
  'USE',
  'CACHE',
  'UNCACHE',
  'CLEAR',
  'REFRESH',
  'ANALYZE',
  'TRUNCATE',
  'MSCK',
  'LOAD',
  'ADD',
  'LIST',
  'DECLARE',
  'CALL',
  'GRANT',
  'REVOKE',
  'COMMENT',
  'REPAIR',
  'EXECUTE',
]);

export function parseStatementAt(p: Parser): Statement {
  const t = p.peek();
  if (startsQuery(p)) return parseQueryAt(p);
  if (t.kind === 'word') {
    switch (t.upper) {
      case 'CREATE':
        return createView(p);
      case 'DROP':
        return dropView(p);
      case 'EXPLAIN':
        return explain(p);
      case 'DESC':
      case 'DESCRIBE':
        return describe(p);
      case 'SHOW':
        return show(p);
      case 'SET':
        return setStatement(p);
      case 'RESET':
        return resetStatement(p);
    }
    if (UNSUPPORTED_STATEMENTS.has(t.upper)) {
      throw p.notImplemented(
        'UNSUPPORTED_FEATURE.STATEMENT',
        `${t.upper} statements are not supported by Sluice.`,
      );
    }
  }
  throw p.error(t);
}

function createView(p: Parser): CreateViewStatement {
  const start = p.expectWord('CREATE');
  let replace = false;
  if (p.isWord('OR')) {
    p.next();
    p.expectWord('REPLACE');
    replace = true;
  }
  const global = p.acceptWord('GLOBAL');
  const temporary = p.acceptWord('TEMPORARY') || p.acceptWord('TEMP');
  if (global && !temporary) throw p.error();
  if (!p.isWord('VIEW')) {
    if (
      p.isWord('TABLE') ||
      p.isWord('DATABASE') ||
      p.isWord('SCHEMA') ||
      p.isWord('FUNCTION') ||
      p.isWord('EXTERNAL')
    ) {
      throw p.notImplemented(
        'UNSUPPORTED_FEATURE.STATEMENT',
        `CREATE ${p.peek().upper} is not supported by Sluice; use CREATE TEMPORARY VIEW.`,
      );
    }
    throw p.error();
  }
  p.next();
  let ifNotExists = false;
  if (p.isWord('IF')) {
    p.next();
    p.expectWord('NOT');
    p.expectWord('EXISTS');
    ifNotExists = true;
  }
  const name = tableName(p);
  let columns: { name: string; comment?: string }[] | undefined;
  if (p.isOp('(')) {
    p.next();
    columns = [];
    do {
      const col = checkedIdentifier(p);
      if (p.acceptWord('COMMENT')) columns.push({ name: col, comment: stringValue(p) });
      else columns.push({ name: col });
    } while (p.acceptOp(','));
    p.expectOp(')');
  }
  let comment: string | undefined;
  for (;;) {
    if (p.acceptWord('COMMENT')) {
      comment = stringValue(p);
      continue;
    }
    if (p.isWord('TBLPROPERTIES')) {
      // Accepted and ignored (view metadata only).
      p.next();
      p.expectOp('(');
      let depth = 1;
      while (depth > 0 && !p.atEnd()) {
        const tk = p.next();
        if (tk.kind === 'op' && tk.value === '(') depth++;
        if (tk.kind === 'op' && tk.value === ')') depth--;
      }
      if (depth > 0) throw p.error();
      continue;
    }
    break;
  }
  p.expectWord('AS');
  const qStart = p.peek();
  const query = parseQueryAt(p);
  const stmt: CreateViewStatement = {
    kind: 'createView',
    name,
    replace,
    temporary,
    global,
    ifNotExists,
    query,
    queryText: p.text.slice(qStart.start, p.prev().end),
    span: p.span(start),
  };
  return {
    ...stmt,
    ...(columns ? { columns } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
}

function stringValue(p: Parser): string {
  const s = p.next();
  if (s.kind !== 'string') throw p.error(s);
  let v = s.value;
  while (p.peek().kind === 'string') v += p.next().value;
  return v;
}

function dropView(p: Parser): Statement {
  const start = p.expectWord('DROP');
  if (!p.isWord('VIEW')) {
    if (p.isWord('TABLE') || p.isWord('DATABASE') || p.isWord('SCHEMA') || p.isWord('FUNCTION')) {
      throw p.notImplemented(
        'UNSUPPORTED_FEATURE.STATEMENT',
        `DROP ${p.peek().upper} is not supported by Sluice.`,
      );
    }
    throw p.error();
  }
  p.next();
  let ifExists = false;
  if (p.isWord('IF')) {
    p.next();
    p.expectWord('EXISTS');
    ifExists = true;
  }
  const name = tableName(p);
  return { kind: 'dropView', name, ifExists, span: p.span(start) };
}

const EXPLAIN_MODES = new Set(['LOGICAL', 'FORMATTED', 'EXTENDED', 'CODEGEN', 'COST']);

function explain(p: Parser): ExplainStatement {
  const start = p.expectWord('EXPLAIN');
  let mode: ExplainStatement['mode'] = 'simple';
  if (p.isAnyWord(EXPLAIN_MODES) && !p.isOp('(', 1) && !p.isOp('.', 1)) {
    mode = p.next().upper.toLowerCase() as ExplainStatement['mode'];
  }
  const statement = parseStatementAt(p);
  return { kind: 'explain', mode, statement, span: p.span(start) };
}

function describe(p: Parser): DescribeStatement {
  const start = p.next();
  if (p.isWord('QUERY')) {
    p.next();
    const query = parseQueryAt(p);
    return { kind: 'describe', extended: false, target: { kind: 'query', query }, span: p.span(start) };
  }
  if (startsQuery(p) && !p.isWord('TABLE')) {
    const query = parseQueryAt(p);
    return { kind: 'describe', extended: false, target: { kind: 'query', query }, span: p.span(start) };
  }
  if (p.isWord('FUNCTION') || p.isWord('DATABASE') || p.isWord('SCHEMA') || p.isWord('CATALOG')) {
    throw p.notImplemented(
      'UNSUPPORTED_FEATURE.STATEMENT',
      `DESCRIBE ${p.peek().upper} is not supported by Sluice.`,
    );
  }
  if (p.isWord('TABLE') && isIdentifier(p.peek(1))) p.next();
  let extended = false;
  if ((p.isWord('EXTENDED') || p.isWord('FORMATTED')) && isIdentifier(p.peek(1))) {
    p.next();
    extended = true;
  }
  const name = tableName(p);
  let column: string[] | undefined;
  if (isIdentifier(p.peek())) {
    column = [identifier(p)];
    while (p.acceptOp('.')) column.push(identifier(p));
  }
  const target = column ? { kind: 'table' as const, name, column } : { kind: 'table' as const, name };
  return { kind: 'describe', extended, target, span: p.span(start) };
}

/** `[FROM|IN db] [[LIKE] 'pattern']` */
function fromAndPattern(p: Parser): { database?: string[]; pattern?: string } {
  const out: { database?: string[]; pattern?: string } = {};
  if (p.isWord('FROM') || p.isWord('IN')) {
    p.next();
    out.database = tableName(p);
  }
  const hasLike = p.acceptWord('LIKE');
  if (p.peek().kind === 'string') out.pattern = stringValue(p);
  else if (hasLike) throw p.error();
  return out;
}

function show(p: Parser): Statement {
  const start = p.expectWord('SHOW');
  const t = p.peek();
  if (t.kind === 'word') {
    switch (t.upper) {
      case 'TABLES':
        p.next();
        return { kind: 'showTables', ...fromAndPattern(p), span: p.span(start) };
      case 'VIEWS':
        p.next();
        return { kind: 'showViews', ...fromAndPattern(p), span: p.span(start) };
      case 'COLUMNS': {
        p.next();
        if (!p.acceptWord('FROM')) p.expectWord('IN');
        let table = tableName(p);
        if (p.isWord('FROM') || p.isWord('IN')) {
          p.next();
          table = [...tableName(p), ...table];
        }
        return { kind: 'showColumns', table, span: p.span(start) };
      }
      case 'USER':
      case 'SYSTEM':
      case 'ALL':
      case 'FUNCTIONS': {
        let scope: ShowFunctionsStatement['scope'] = 'all';
        if (t.upper !== 'FUNCTIONS') {
          scope = p.next().upper.toLowerCase() as ShowFunctionsStatement['scope'];
        }
        p.expectWord('FUNCTIONS');
        const hasLike = p.acceptWord('LIKE');
        let pattern: string | undefined;
        if (p.peek().kind === 'string') pattern = stringValue(p);
        else if (isIdentifier(p.peek())) pattern = tableName(p).join('.');
        else if (hasLike) throw p.error();
        const stmt: ShowFunctionsStatement = { kind: 'showFunctions', scope, span: p.span(start) };
        return pattern === undefined ? stmt : { ...stmt, pattern };
      }
    }
  }
  throw p.error(t);
}

/** The raw text of the rest of the statement (up to `;` or the end) and the token index where it stops. */
function restOfStatement(p: Parser, after: Token): { raw: string; stop: number } {
  let k = p.pos;
  while (k < p.tokens.length) {
    const tk = p.tokens[k] as Token;
    if (tk.kind === 'eof' || (tk.kind === 'op' && tk.value === ';')) break;
    k++;
  }
  const stopTok = p.tokens[Math.min(k, p.tokens.length - 1)] as Token;
  return { raw: p.text.slice(after.end, stopTok.start).trim(), stop: k };
}

function unquote(s: string): string {
  if (s.length >= 2) {
    const f = s[0];
    const l = s[s.length - 1];
    if ((f === "'" || f === '"' || f === '`') && f === l) return s.slice(1, -1);
  }
  return s;
}

const SET_SYNTAX =
  "Expected format is 'SET', 'SET key', or 'SET key=value'. If you want to include special characters in key, or include semicolon in value, please use backquotes, e.g., SET `key`=`value`.";

function setStatement(p: Parser): SetStatement {
  const start = p.expectWord('SET');
  const { raw, stop } = restOfStatement(p, start);
  p.pos = stop;
  const span = p.span(start);
  if (raw === '') return { kind: 'set', span };
  if (raw === '-v') return { kind: 'set', verbose: true, span };
  const tz = /^TIME\s+ZONE\s+(.+)$/is.exec(raw);
  if (tz) {
    const v = tz[1]!.trim();
    if (/^LOCAL$/i.test(v)) return { kind: 'set', key: 'spark.sql.session.timeZone', value: 'UTC', span };
    return { kind: 'set', key: 'spark.sql.session.timeZone', value: unquote(v), span };
  }
  const eq = raw.indexOf('=');
  const key = unquote((eq < 0 ? raw : raw.slice(0, eq)).trim());
  if (key === '' || (!/^`.*`$/.test((eq < 0 ? raw : raw.slice(0, eq)).trim()) && /\s/.test(key))) {
    throw p.errorWith('INVALID_SET_SYNTAX', SET_SYNTAX, start);
  }
  if (eq < 0) return { kind: 'set', key, span };
  return { kind: 'set', key, value: unquote(raw.slice(eq + 1).trim()), span };
}

function resetStatement(p: Parser): ResetStatement {
  const start = p.expectWord('RESET');
  const { raw, stop } = restOfStatement(p, start);
  p.pos = stop;
  const span = p.span(start);
  return raw === '' ? { kind: 'reset', span } : { kind: 'reset', key: unquote(raw), span };
}
