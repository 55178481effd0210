import { createMetrics, EMF_ERROR_CODES, EmfConfigError, emf } from '@auditline/emf';
import { describe, expect, it } from 'vitest';

// SPEC §4.1 (`log()` returns the entry as written) and §4.6 (prototype keys are
// renamed or dropped, never written): a member named `__proto__` is written on
// the line but cannot be an own property of the returned entry, and a record
// key `__proto__` (from JSON config) was dropped silently by the option schema,
// so `defaultDimensions: {"__proto__":"x"}` vanished from every line. What would
// be wrong: either accepted; a config mistake must fail at construction, naming
// the option and the fix (definition of done).

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

function refusal(act: () => unknown): EmfConfigError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(EmfConfigError);
    return error as EmfConfigError;
  }
  throw new Error('expected an EmfConfigError, nothing was thrown');
}

describe('emf names cannot be JavaScript prototype keys', () => {
  for (const key of PROTOTYPE_KEYS) {
    it(`refuses a metric named ${key}`, () => {
      // Act
      const error = refusal(() => emf({ metrics: [{ name: key, detail: 'bytes' }] }));

      // Assess
      expect(error.code).toBe(EMF_ERROR_CODES.invalidConfig);
      expect(error.option).toBe('metrics[0].name');
      expect(error.message).toContain('prototype');
      expect(error.message).toContain('Fix:');
    });

    it(`refuses ${key} as a dimension or default dimension name, also from JSON config`, () => {
      // Prepare: JSON.parse makes "__proto__" an own key, as a config file would.
      const asJson = (value: string) =>
        JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`);

      // Act
      const fromDefaults = refusal(() => emf({ defaultDimensions: asJson('prod') }));
      const fromDimensions = refusal(() => emf({ dimensions: asJson('action') }));
      const fromMetrics = refusal(() =>
        createMetrics({ namespace: 'orders-api/App', dimensions: asJson('prod') }),
      );

      // Assess: each names the option that holds the key.
      expect(fromDefaults.option).toMatch(/^defaultDimensions/);
      expect(fromDimensions.option).toMatch(/^dimensions/);
      expect(fromMetrics.option).toMatch(/^dimensions/);
      for (const error of [fromDefaults, fromDimensions, fromMetrics]) {
        expect(error.message).toContain('prototype');
      }
    });
  }
});
