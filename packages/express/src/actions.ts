import { METHODS } from 'node:http';
import { CUSTOM_ACTION_PATTERN } from '@auditline/core';
import { METHOD_ACTIONS, OTHER_METHOD_ACTION } from './constants.js';

function actionOf(method: string): string {
  return (
    METHOD_ACTIONS[method] ?? (CUSTOM_ACTION_PATTERN.test(method) ? method : OTHER_METHOD_ACTION)
  );
}

/** Every method Node's parser accepts, mapped once so the hot path is one Map lookup. */
const ACTIONS: ReadonlyMap<string, string> = new Map(METHODS.map((m) => [m, actionOf(m)]));

/** The audit action of an HTTP method (SPEC §5.1). */
export function actionForMethod(method: string | undefined): string {
  if (method === undefined) return OTHER_METHOD_ACTION;
  return ACTIONS.get(method) ?? actionOf(method);
}
