export { type AuditExpectation, expectAudit } from './expect-audit.js';
export { createMemorySink, type MemorySink } from './memory-sink.js';
