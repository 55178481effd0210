import { AuditlineConfigError, AuditlineError } from '@auditline/core';

/**
 * Stable codes of the errors `@auditline/infra` throws. Match on `code`, never on `message`.
 *
 * @example
 * ```ts
 * try {
 *   auditInfrastructure({ service: 'orders', alertEmail: 'not-an-email' });
 * } catch (err) {
 *   if (err instanceof AuditlineError && err.code === INFRA_ERROR_CODES.invalidOptions) console.error(err.message);
 * }
 * ```
 */
export const INFRA_ERROR_CODES = Object.freeze({
  invalidOptions: 'INFRA_INVALID_OPTIONS',
  invalidFilterPattern: 'INFRA_INVALID_FILTER_PATTERN',
  grafanaPublishFailed: 'INFRA_GRAFANA_PUBLISH_FAILED',
} as const);

/**
 * Thrown by `auditInfrastructure()` when an option is invalid. `option` holds the
 * option's path; the message names the option, the value and the fix.
 *
 * @example
 * ```ts
 * try { auditInfrastructure({ service: 'a', alertEmail: 'x', retentionInDays: 42 }); }
 * catch (e) { if (e instanceof InfraConfigError) log.error(e.option); } // 'retentionInDays'
 * ```
 */
export class InfraConfigError extends AuditlineConfigError {
  constructor(
    option: string,
    message: string,
    options?: { cause?: unknown; valuePreview?: string; fix?: string },
  ) {
    // One base for every package's option errors (issue #14); this class only sets the code.
    super(INFRA_ERROR_CODES.invalidOptions, { ...options, option, message });
  }
}

/**
 * Thrown by `evaluateFilterPattern()` / `compileFilterPattern()` when the pattern
 * is not a JSON filter pattern this evaluator understands. `position` is the
 * character offset where parsing stopped.
 *
 * @example
 * ```ts
 * try { compileFilterPattern('{ $.a = }'); }
 * catch (e) { if (e instanceof FilterPatternError) log.error(e.position); }
 * ```
 */
export class FilterPatternError extends AuditlineError {
  readonly position: number;
  constructor(message: string, position: number) {
    super(INFRA_ERROR_CODES.invalidFilterPattern, `${message} (at offset ${position})`);
    this.position = position;
  }
}

/**
 * Thrown by `publishGrafanaDashboard()` when the workspace refuses the dashboard
 * or cannot be reached. `status` is the HTTP status (0 when no response came);
 * the message names the URL and Grafana's answer, never the token.
 *
 * @example
 * ```ts
 * const target = { url: 'https://g-abc.grafana-workspace.eu-west-1.amazonaws.com', token: 'glsa_x', datasourceUid: 'cw' };
 * try { await publishGrafanaDashboard(grafanaDashboard({ service: 'orders' }), target); }
 * catch (e) { if (e instanceof GrafanaPublishError && e.status === 401) log.error('token expired'); }
 * ```
 */
export class GrafanaPublishError extends AuditlineError {
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(INFRA_ERROR_CODES.grafanaPublishFailed, message, options);
    this.status = status;
  }
}
