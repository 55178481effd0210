import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplate } from '@auditline/infra';
import { CelEngine, type Engine, TemplateFile } from '@aws/cloudformation-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_OPTIONS as BASE,
  TEMPLATE_VARIANTS as VARIANTS,
} from './helpers/template-variants.js';

// SPEC §9 / issue #5: the template passes @aws/cloudformation-validate (offline
// cfn-lint rules + resource schemas) in strict mode with no errors and no
// warnings. Strict mode upgrades WARN to ERROR, so anything at WARN or above fails.

const BLOCKING = new Set(['WARN', 'ERROR', 'FATAL']);

let engine: Engine;
let dir: string;

beforeAll(() => {
  // CEL and Rego engines report identical diagnostics (package README); CEL starts ~5x faster.
  engine = new CelEngine();
  dir = mkdtempSync(join(tmpdir(), 'auditline-cfn-'));
});

afterAll(() => {
  engine?.free();
  rmSync(dir, { recursive: true, force: true });
});

describe('generated template passes @aws/cloudformation-validate in strict mode', () => {
  const cases = VARIANTS.flatMap((v) =>
    (['yaml', 'json'] as const).map((format) => ({ ...v, format })),
  );
  it.each(cases)('$name ($format)', ({ options, format }) => {
    // Prepare
    const file = join(dir, `template-${Math.random().toString(36).slice(2)}.${format}`);
    writeFileSync(file, renderTemplate(options, format));
    // Act
    const report = engine.validateStandard(new TemplateFile(file), { strict: true });
    // Assess
    const blocking = report.diagnostics
      .filter((d) => BLOCKING.has(d.severity))
      .map((d) => `${d.severity} ${d.ruleId} ${d.entity?.logicalId ?? ''} ${d.message}`);
    expect(report.status).toBe('OK');
    expect(blocking).toEqual([]);
  });

  it('the validator does flag a broken template (the check is live)', () => {
    // Prepare: a real template with one bad property value.
    const broken = JSON.parse(renderTemplate(BASE, 'json'));
    broken.Resources.AuditLogGroup.Properties.RetentionInDays = 42;
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    // Act
    const report = engine.validateStandard(new TemplateFile(file), { strict: true });
    // Assess
    expect(report.diagnostics.some((d) => BLOCKING.has(d.severity))).toBe(true);
  });
});
