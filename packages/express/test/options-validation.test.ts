import { AuditConfigError, createAuditLogger, ERROR_CODES } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

const logger = createAuditLogger({
  destination: createMemorySink(),
  format: 'json',
  ecsMetadata: false,
});

function configErrorOf(options: unknown): AuditConfigError {
  try {
    auditMiddleware(options as never);
  } catch (error) {
    if (error instanceof AuditConfigError) return error;
    throw error;
  }
  throw new Error('expected auditMiddleware to throw');
}

describe('options are validated at construction', () => {
  it.each([
    ['excludePaths.0', { excludePaths: ['health'] }, 'must start with "/"'],
    ['excludePaths.0', { excludePaths: ['/health?x=1'] }, 'no query'],
    ['traceHeaders.0', { traceHeaders: ['traceparent'] }, 'always read after'],
    ['traceHeaders.0', { traceHeaders: ['x trace'] }, 'header name'],
    ['accessDenied', { accessDenied: 'no' }, 'Fix: pass true or false'],
    ['logger', { logger: {} }, 'createAuditLogger'],
    ['getUserId', { getUserId: 'req.user.id' }, 'function'],
    ['appLogger', { appLogger: console }, 'pino logger'],
    ['exclude', { exclude: ['/health'] }, 'Known options: logger, excludePaths'],
    ['(options)', 'strict', 'must be an object'],
  ])('names %s', (option, options, hint) => {
    // Act
    const error = configErrorOf(options);

    // Assess: the error says which option, and how to fix it.
    expect(error.code).toBe(ERROR_CODES.invalidOptions);
    expect(error.option).toBe(option);
    expect(error.message).toContain(hint);
    expect(error.message).toContain('auditMiddleware');
  });

  it('refuses an appLogger made with useOnlyCustomLevels, which crashed pino-http on the first request', () => {
    // Prepare: a real pino logger with no info/debug methods.
    const appLogger = pino(
      { customLevels: { notice: 35, error: 50 }, useOnlyCustomLevels: true, level: 'notice' },
      { write() {} },
    );

    // Act
    const error = configErrorOf({ logger, appLogger });

    // Assess
    expect(error.option).toBe('appLogger');
    expect(error.message).toContain('useOnlyCustomLevels');
    expect(error.message).toContain('info');
  });

  it('accepts valid options without mutating them', () => {
    // Prepare
    const options = Object.freeze({
      logger,
      excludePaths: Object.freeze(['/internal/']),
      traceHeaders: Object.freeze(['X-Request-Id']),
      accessDenied: false,
      getUserId: () => 'u',
    });

    // Act
    const middleware = auditMiddleware(options as never);

    // Assess
    expect(typeof middleware).toBe('function');
    expect(options.excludePaths).toEqual(['/internal/']);
    expect(options.traceHeaders).toEqual(['X-Request-Id']);
  });
});
