// The EMF names infra's dashboard and metric namespace depend on, taken from
// `@auditline/emf` so they cannot drift from what the plugin writes (issue #5).
// One import point keeps the dependency on emf's surface small and visible.
export {
  defaultNamespace,
  EMF_DIMENSIONS,
  EMF_METRICS,
  NAMESPACE_PATTERN,
  RESERVED_NAMESPACE_PREFIX,
} from '@auditline/emf';
