/** ECS task metadata endpoint response fields we keep (SPEC §4.7). */
export interface EcsMetadata {
  readonly task_arn?: string;
  readonly cluster?: string;
}

/** Give up on the metadata endpoint after this long: start-up must never wait on it (SPEC §4.7). */
const ECS_METADATA_TIMEOUT_MS = 1_000;

/**
 * Reads the task ARN and cluster once from the ECS task metadata endpoint v4.
 * Never throws and never blocks start-up: the promise resolves to `undefined`
 * on any failure, and the logger adds `ecs` to lines written after it resolves.
 *
 * @example
 * ```ts
 * const ecs = await readEcsMetadata(process.env.ECS_CONTAINER_METADATA_URI_V4);
 * ```
 */
export async function readEcsMetadata(uri: string | undefined): Promise<EcsMetadata | undefined> {
  if (!uri) return undefined;
  try {
    const response = await fetch(`${uri.replace(/\/+$/, '')}/task`, {
      signal: AbortSignal.timeout(ECS_METADATA_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { TaskARN?: unknown; Cluster?: unknown };
    const metadata: { task_arn?: string; cluster?: string } = {};
    if (typeof body.TaskARN === 'string') metadata.task_arn = body.TaskARN.slice(0, 256);
    if (typeof body.Cluster === 'string') metadata.cluster = body.Cluster.slice(0, 256);
    return metadata.task_arn || metadata.cluster ? metadata : undefined;
  } catch {
    return undefined;
  }
}
