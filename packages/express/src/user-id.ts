import { MAX_USER_ID_LENGTH } from '@auditline/core';

/** A `user_id` from whatever the app stores (string, numeric id), else undefined. */
export function toUserId(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value.length === 0) return undefined;
    return value.length > MAX_USER_ID_LENGTH ? value.slice(0, MAX_USER_ID_LENGTH) : value;
  }
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') {
    return String(value);
  }
  return undefined;
}
