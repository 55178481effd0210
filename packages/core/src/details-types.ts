/** Serialises untrusted `details` to JSON in one pass, censoring as it goes. */
export interface DetailsSerializer {
  /**
   * The JSON text of `value` (an object). `bindings` are pre-serialised
   * `"key":value` members of a child logger, appended only for keys `value`
   * does not have, so no key is ever written twice (SPEC §4.6).
   */
  object(
    value: object,
    bindings: readonly BindingMember[] | undefined,
    extra?: Readonly<Record<string, unknown>>,
  ): string;
  /** Any value, as JSON text; used for safe string forms of invalid fields. */
  value(value: unknown): string;
}

/** A child binding prepared once: its key and its serialised `"key":value` member. */
export interface BindingMember {
  readonly key: string;
  readonly member: string;
}
