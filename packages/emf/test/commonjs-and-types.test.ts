import type { AuditPlugin } from '@auditline/core';
import {
  createMetrics,
  type EmfPluginOptions,
  type EmfUnit,
  emf,
  type Metrics,
} from '@auditline/emf';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { fixture, runNode } from './support/run-child.js';

describe('packaging', () => {
  it('works from a CommonJS caller through require()', async () => {
    // Act
    const out = await runNode(fixture('require-from-cjs.cjs'));

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
