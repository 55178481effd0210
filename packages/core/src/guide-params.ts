import type { AuditValidationIssue } from './errors.js';
import type { AuditParams } from './schema.js';

/** Params with the guide's spellings taken out, and what they said. */
export interface GuideParams {
  /** The params without `userId` and `req`, `userId` moved to `user_id`. */
  readonly params: AuditParams;
  /** The request object the caller passed, if it is an object. */
  readonly req: object | undefined;
  /** `userId` and `user_id` both given and different, or a `req` that is not an object. */
  readonly issues: readonly AuditValidationIssue[] | undefined;
}

/**
 * Takes the guide's calling convention, `logAudit({ userId, action, resource,
 * status, req, details })` (issue #12), apart: `userId` is the spelling of
 * `user_id`, and `req` is the request whose context the entry takes. Returns
 * `undefined` (the hot path) when neither key is present. Both spellings given
 * and different is an issue, and the explicit `user_id` wins. Neither key is
 * ever written; a value the logger cannot use still reaches the validators
 * (`userId` as `user_id`), so an invalid one is repaired as usual.
 *
 * @example
 * ```ts
 * takeGuideParams({ userId: 'u-1', action: 'LOGIN', resource: '/login', status: 'SUCCESS' })
 *   ?.params.user_id; // 'u-1'
 * ```
 */
export function takeGuideParams(input: AuditParams): GuideParams | undefined {
  let userId: unknown;
  let req: unknown;
  try {
    userId = input.userId;
    req = input.req;
  } catch {
    // A throwing getter or Proxy trap: the validators' slow path reports it.
    return undefined;
  }
  if (userId === undefined && req === undefined) return undefined;
  const copy: Record<string, unknown> = {};
  // for-in like the validators, so an inherited member is seen the same way.
  for (const key in input) {
    if (key === 'userId' || key === 'req') continue;
    copy[key] = (input as Record<string, unknown>)[key];
  }
  let issues: AuditValidationIssue[] | undefined;
  if (userId !== undefined) {
    if (copy.user_id === undefined) {
      copy.user_id = userId;
    } else if (copy.user_id !== userId) {
      issues = [
        {
          path: 'userId',
          code: 'custom',
          message: 'userId and user_id are both given and differ; user_id is written',
        },
      ];
    }
  }
  let request: object | undefined;
  if (typeof req === 'object' && req !== null) {
    request = req;
  } else if (req !== undefined) {
    (issues ??= []).push({
      path: 'req',
      code: 'custom',
      message: 'req must be the request object (Express or node:http); it was ignored',
    });
  }
  return { params: copy as AuditParams, req: request, issues };
}
