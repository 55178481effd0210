import { fileURLToPath } from 'node:url';
import type { AuditPlugin } from '@auditline/core';
import {
  createMetrics,
  type EmfPluginOptions,
  type EmfUnit,
  emf,
  type Metrics,
} from '@auditline/emf';
import { runChild } from '@auditline/test-support';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('packaging', () => {
  it('works from a CommonJS caller through require()', async () => {
    // Act
    const out = await runChild(
      fileURLToPath(new URL('./fixtures/require-from-cjs.cjs', import.meta.url)),
    );

    // Assess
    expect(out.code).toBe(0);
    expect(JSON.parse(out.lines[0] ?? '{}')).toEqual({ lines: 2, issues: [] });
  });

  it('types the public surface: emf() is an AuditPlugin, units are the 27 literals', () => {
    expectTypeOf(emf).returns.toEqualTypeOf<AuditPlugin>();
    expectTypeOf(createMetrics).returns.toEqualTypeOf<Metrics>();
    expectTypeOf<'Count'>().toExtend<EmfUnit>();
    expectTypeOf<'Counts'>().not.toExtend<EmfUnit>();
    expectTypeOf<{ storageResolution: 5 }>().not.toExtend<EmfPluginOptions>();
    expectTypeOf<{ dimensions: { User: 'user_id' } }>().toExtend<EmfPluginOptions>();
    expectTypeOf<{ dimensions: { User: 'password' } }>().not.toExtend<EmfPluginOptions>();
    expect(emf().name).toBe('emf');
  });
});
