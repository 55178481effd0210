/**
 * A process warning as a test sees it.
 *
 * @example
 * ```ts
 * const warnings: CapturedWarning[] = await captureWarnings(() => audit.log(params));
 * ```
 */
export interface CapturedWarning {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

/**
 * Runs `act` with the process's `warning` listeners (Node's default printer
 * among them) swapped for a recorder, and returns every warning emitted
 * meanwhile, so an expected warning is asserted instead of printed to the
 * terminal, where it reads like a failure (issue #16). Nothing is hidden:
 * tests assert the whole list, so an unexpected warning fails the test and
 * shows up in its diff. The listeners are put back, in order, afterwards.
 */
export async function captureWarnings(act: () => unknown): Promise<CapturedWarning[]> {
  const captured: CapturedWarning[] = [];
  const record = (warning: Error): void => {
    captured.push({
      name: warning.name,
      code: (warning as NodeJS.ErrnoException).code,
      message: warning.message,
    });
  };
  const listeners = process.listeners('warning');
  for (const listener of listeners) process.off('warning', listener);
  process.on('warning', record);
  try {
    await act();
    // process.emitWarning emits on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', record);
    for (const listener of listeners) process.on('warning', listener);
  }
  return captured;
}
