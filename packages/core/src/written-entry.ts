import { HASH_HEX_LENGTH, LINK_TAIL_LENGTH, PREV_VALUE_OFFSET } from './line/index.js';
import type { AuditEntry } from './schema.js';

/**
 * A base class whose constructor returns the object it is given, so the
 * subclass's private fields land on a plain object literal (its prototype
 * stays `Object.prototype`).
 */
class Carrier {
  constructor(target: object) {
    // biome-ignore lint/correctness/noConstructorReturn: the point of this class: private fields on a plain object.
    return target as Carrier;
  }
}

/**
 * The state behind a returned entry's lazy members, in private fields of the
 * entry itself. Every entry shares the same accessor functions: per-entry
 * closures and `Object.defineProperty` over an existing data member cost more
 * than the rest of `log()` (issue #15: 11.6% of a `log()` profile on Node 24
 * was the per-entry accessor set-up, plus the GC of its closures).
 */
class WrittenEntry extends Carrier {
  /** `details` as last set: the caller's object until the line is written, then the parsed copy. */
  #details: unknown;
  /** The written `details` JSON, parsed into #details on first read. */
  #detailsJson: string | undefined;
  /** The plugins' written members, `,"k":v,…`, parsed on first read of any of them. */
  #members: string | undefined;
  #parsedMembers: Record<string, unknown> | undefined;

  private constructor(entry: object, details: unknown) {
    super(entry);
    this.#details = details;
    this.#detailsJson = undefined;
    this.#members = undefined;
    this.#parsedMembers = undefined;
  }

  static readonly detailsMember: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: WrittenEntry): unknown {
      if (this.#detailsJson !== undefined) {
        this.#details = JSON.parse(this.#detailsJson) as unknown;
        this.#detailsJson = undefined;
      }
      return this.#details;
    },
    set(this: WrittenEntry, value: unknown): void {
      this.#details = value;
      this.#detailsJson = undefined;
    },
  };

  /** One accessor per plugin key, shared by every entry (plugin keys are few and fixed). */
  static readonly #memberAccessors = new Map<string, PropertyDescriptor>();

  static memberAccessor(key: string): PropertyDescriptor {
    let descriptor = WrittenEntry.#memberAccessors.get(key);
    if (descriptor === undefined) {
      descriptor = {
        enumerable: true,
        configurable: true,
        get(this: WrittenEntry): unknown {
          this.#parsedMembers ??= JSON.parse(`{${(this.#members ?? ',').slice(1)}}`) as Record<
            string,
            unknown
          >;
          return this.#parsedMembers[key];
        },
        set(this: WrittenEntry, value: unknown): void {
          Object.defineProperty(this, key, {
            value,
            writable: true,
            enumerable: true,
            configurable: true,
          });
        },
      };
      WrittenEntry.#memberAccessors.set(key, descriptor);
    }
    return descriptor;
  }

  static carry(entry: object, details: unknown): void {
    new WrittenEntry(entry, details);
    Object.defineProperty(entry, 'details', WrittenEntry.detailsMember);
  }

  static written(entry: object, detailsJson: string, members: string | undefined): void {
    const carried = entry as WrittenEntry;
    if (detailsJson === 'null') {
      carried.#details = null;
      carried.#detailsJson = undefined;
    } else {
      carried.#detailsJson = detailsJson;
    }
    carried.#members = members;
  }
}

/**
 * Gives a fresh entry (built without `details`) its `details` member: the
 * caller's value while plugins read the entry, then, after
 * {@link attachWrittenMembers}, what the line says. Call it right after the
 * `status` member so the keys keep the line's order.
 *
 * @example
 * ```ts
 * const entry = { level: 'info', audit: true } as unknown as AuditEntry;
 * carryDetails(entry, { id: 1 });
 * ```
 */
export function carryDetails(entry: object, details: unknown): void {
  WrittenEntry.carry(entry, details);
}

/**
 * Makes `entry` (whose top-level fields already hold exactly the values that
 * were quoted into the line, and whose `details` came from {@link carryDetails})
 * carry the rest of what was written: `details` and the plugins' members,
 * parsed back from the very JSON text that went on the wire (SPEC §4.1,
 * issue #13: redacted, trimmed, with validation issues, never the caller's
 * objects). Parsing waits until a member is read: most callers never look at
 * the returned entry, and `JSON.parse` per line would cost more than the rest
 * of `log()`.
 *
 * @example
 * ```ts
 * attachWrittenMembers(entry, '{"password":"[REDACTED]"}', '', []);
 * entry.details; // { password: '[REDACTED]' }
 * ```
 */
export function attachWrittenMembers(
  entry: AuditEntry,
  detailsJson: string,
  pluginMembers: string,
  pluginKeys: readonly string[],
): void {
  const withMembers = pluginMembers !== '' && pluginKeys.length > 0;
  WrittenEntry.written(entry, detailsJson, withMembers ? pluginMembers : undefined);
  if (!withMembers) return;
  for (const key of pluginKeys) {
    if (pluginMembers.includes(`"${key}":`)) {
      Object.defineProperty(entry, key, WrittenEntry.memberAccessor(key));
    }
  }
}

/**
 * Copies the chain members of a sealed line onto `entry`: `keyId`, and `prev`
 * and `hash` read from the line's fixed-size tail (SPEC §7), so the returned
 * entry can be checked against the line.
 *
 * @example
 * ```ts
 * attachChainMembers(entry, sealedLine, 'default');
 * entry.hash; // the 64 hex digits the line ends with
 * ```
 */
export function attachChainMembers(
  entry: AuditEntry,
  line: string,
  keyId: string | undefined,
): void {
  if (keyId !== undefined) entry.keyId = keyId;
  const tail = line.slice(-LINK_TAIL_LENGTH);
  entry.prev = tail.slice(PREV_VALUE_OFFSET, PREV_VALUE_OFFSET + HASH_HEX_LENGTH);
  entry.hash = line.slice(-(HASH_HEX_LENGTH + 2), -2);
}
