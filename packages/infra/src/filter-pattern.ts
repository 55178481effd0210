import { FilterPatternError } from './errors.js';

// A small evaluator of the CloudWatch Logs JSON filter-pattern grammar
// ("Using filter patterns to match terms in JSON log events", CloudWatch Logs
// User Guide). Issue #5: no npm package does this; tests use it to prove each
// metric filter matches the lines the logger writes, and users can too.
//
//   pattern    := '{' or '}'
//   or         := and ('||' and)*            // && binds tighter than ||
//   and        := primary ('&&' primary)*
//   primary    := '(' or ')' | condition
//   condition  := selector ( op value | 'IS' ('TRUE'|'FALSE'|'NULL') | 'NOT' 'EXISTS' )
//   selector   := '$' ('.' key | '[' index ']')*
//   op         := '=' | '!=' | '<' | '>' | '<=' | '>='
//   value      := "quoted" | bare           // '*' at either end is a wildcard

/**
 * A compiled pattern: call it with one log event (a line of text).
 *
 * @example
 * ```ts
 * const isDelete: FilterPredicate = compileFilterPattern('{ $.action = "DELETE" }');
 * isDelete('{"action":"DELETE"}'); // true
 * ```
 */
export type FilterPredicate = (line: string) => boolean;

type Step = string | number;
type Resolved = { readonly found: false } | { readonly found: true; readonly value: unknown };
type Node = (event: unknown) => boolean;

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const KEY_CHAR = /[^\s.[\]=!<>()&|"]/;

function resolve(event: unknown, path: readonly Step[]): Resolved {
  let current: unknown = event;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) {
        return { found: false };
      }
      if (!Object.hasOwn(current, step)) return { found: false };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}

/** `*` at the start and/or end is a wildcard; anywhere else it is literal. */
function stringMatcher(text: string): (s: string) => boolean {
  if (text === '*') return () => true;
  const lead = text.startsWith('*');
  const trail = text.length > 1 && text.endsWith('*');
  const core = text.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (lead && trail) return (s) => s.includes(core);
  if (lead) return (s) => s.endsWith(core);
  if (trail) return (s) => s.startsWith(core);
  return (s) => s === core;
}

function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    this.skip();
    if (this.src[this.pos] !== '{') {
      throw new FilterPatternError(
        'only JSON filter patterns are supported: wrap the expression in { }',
        this.pos,
      );
    }
    this.pos++;
    const node = this.or();
    this.skip();
    if (this.src[this.pos] !== '}') this.fail('expected "&&", "||" or "}"');
    this.pos++;
    this.skip();
    if (this.pos < this.src.length) this.fail('unexpected text after the closing "}"');
    return node;
  }

  private fail(message: string): never {
    throw new FilterPatternError(message, this.pos);
  }

  private skip(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private eat(token: string): boolean {
    this.skip();
    if (this.src.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private eatWord(word: string): boolean {
    this.skip();
    const end = this.pos + word.length;
    if (this.src.startsWith(word, this.pos) && !/[A-Za-z0-9_]/.test(this.src[end] ?? '')) {
      this.pos = end;
      return true;
    }
    return false;
  }

  private or(): Node {
    const nodes = [this.and()];
    while (this.eat('||')) nodes.push(this.and());
    return nodes.length === 1 ? nodes[0]! : (e) => nodes.some((n) => n(e));
  }

  private and(): Node {
    const nodes = [this.primary()];
    while (this.eat('&&')) nodes.push(this.primary());
    return nodes.length === 1 ? nodes[0]! : (e) => nodes.every((n) => n(e));
  }

  private primary(): Node {
    if (this.eat('(')) {
      const node = this.or();
      if (!this.eat(')')) this.fail('expected ")"');
      return node;
    }
    return this.condition();
  }

  private selector(): Step[] {
    this.skip();
    if (this.src[this.pos] !== '$') this.fail('expected a selector such as $.field');
    this.pos++;
    const path: Step[] = [];
    for (;;) {
      const c = this.src[this.pos];
      if (c === '.') {
        this.pos++;
        const start = this.pos;
        while (this.pos < this.src.length && KEY_CHAR.test(this.src[this.pos] ?? '')) this.pos++;
        if (this.pos === start) this.fail('expected a property name after "."');
        path.push(this.src.slice(start, this.pos));
      } else if (c === '[') {
        this.pos++;
        const start = this.pos;
        while (/\d/.test(this.src[this.pos] ?? '')) this.pos++;
        if (this.pos === start || this.src[this.pos] !== ']')
          this.fail('expected an array index like [0]');
        path.push(Number(this.src.slice(start, this.pos)));
        this.pos++;
      } else {
        break;
      }
    }
    if (path.length === 0) this.fail('a selector needs at least one property, e.g. $.field');
    return path;
  }

  private value(): { text: string; quoted: boolean } {
    this.skip();
    if (this.src[this.pos] === '"') {
      let text = '';
      this.pos++;
      for (;;) {
        const c = this.src[this.pos];
        if (c === undefined) this.fail('unterminated string');
        this.pos++;
        if (c === '"') break;
        if (c === '\\') {
          const next = this.src[this.pos];
          if (next === undefined) this.fail('unterminated string');
          text += next;
          this.pos++;
        } else {
          text += c;
        }
      }
      return { text, quoted: true };
    }
    const start = this.pos;
    while (this.pos < this.src.length && /[^\s()&|{}]/.test(this.src[this.pos] ?? '')) this.pos++;
    if (this.pos === start) this.fail('expected a value');
    return { text: this.src.slice(start, this.pos), quoted: false };
  }

  private condition(): Node {
    const path = this.selector();
    if (this.eatWord('IS')) {
      // Booleans and null only: the string "true" is not TRUE.
      if (this.eatWord('TRUE')) return (e) => valueAt(e, path) === true;
      if (this.eatWord('FALSE')) return (e) => valueAt(e, path) === false;
      if (this.eatWord('NULL')) return (e) => valueAt(e, path) === null;
      this.fail('expected TRUE, FALSE or NULL after IS');
    }
    if (this.eatWord('NOT')) {
      if (this.eatWord('EXISTS')) return (e) => !resolve(e, path).found;
      this.fail('expected EXISTS after NOT');
    }
    const op = ['!=', '<=', '>=', '=', '<', '>'].find((o) => this.eat(o));
    if (!op) this.fail('expected =, !=, <, >, <=, >=, IS or NOT EXISTS');
    this.skip();
    const at = this.pos;
    const { text, quoted } = this.value();
    const numeric = !quoted && NUMBER.test(text);
    if (op !== '=' && op !== '!=') {
      if (!numeric) throw new FilterPatternError(`"${op}" needs a number, got ${text}`, at);
      const n = Number(text);
      const cmp: (a: number) => boolean =
        op === '<'
          ? (a) => a < n
          : op === '>'
            ? (a) => a > n
            : op === '<='
              ? (a) => a <= n
              : (a) => a >= n;
      return (e) => {
        const r = resolve(e, path);
        return r.found && typeof r.value === 'number' && cmp(r.value);
      };
    }
    const n = numeric ? Number(text) : Number.NaN;
    const matchText = stringMatcher(text);
    const equal = (v: unknown): boolean | undefined => {
      if (numeric && typeof v === 'number') return v === n;
      const s = primitiveText(v);
      return s === undefined ? undefined : matchText(s);
    };
    // A missing property, or a null/object/array value, matches neither = nor !=.
    return op === '='
      ? (e) => {
          const r = resolve(e, path);
          return r.found && equal(r.value) === true;
        }
      : (e) => {
          const r = resolve(e, path);
          return r.found && equal(r.value) === false;
        };
  }
}

/** The value at `path`, or `undefined` when the property does not exist. */
function valueAt(event: unknown, path: readonly Step[]): unknown {
  const r = resolve(event, path);
  return r.found ? r.value : undefined;
}

/**
 * Compiles a CloudWatch Logs JSON filter pattern once into a predicate over log
 * lines. Supports `=`, `!=`, `<`, `>`, `<=`, `>=`, `IS TRUE`, `IS FALSE`,
 * `IS NULL`, `NOT EXISTS`, `&&`, `||`, parentheses, quoted and bare values
 * with `*` at either end, nested properties and array indexes. A line that is
 * not a JSON object matches nothing. Throws {@link FilterPatternError} on a
 * pattern it cannot parse.
 *
 * @example
 * ```ts
 * const failedLogin = compileFilterPattern('{ $.audit IS TRUE && $.action = "LOGIN" && $.status = "FAILED" }');
 * lines.filter(failedLogin);
 * ```
 */
export function compileFilterPattern(pattern: string): FilterPredicate {
  const node = new Parser(pattern).parse();
  return (line: string) => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return false;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return false;
    return node(event);
  };
}

/**
 * Evaluates a CloudWatch Logs JSON filter pattern against one log line, as a
 * metric or subscription filter would. See {@link compileFilterPattern} for the
 * grammar; compile once when testing many lines.
 *
 * @example
 * ```ts
 * import { evaluateFilterPattern } from '@auditline/infra';
 * evaluateFilterPattern('{ $.eventType = "UpdateTrail" }', '{"eventType":"UpdateTrail"}'); // true
 * evaluateFilterPattern('{ $.latency > 500 }', '{"latency":120}'); // false
 * ```
 */
export function evaluateFilterPattern(pattern: string, line: string): boolean {
  return compileFilterPattern(pattern)(line);
}
