// The per-call state of one details serialisation and its budget (SPEC §4.6, issue #13).

/**
 * The per-call state of one serialisation. A nested `log()` (a getter that
 * logs) serialises with a frame of its own, so it never corrupts the outer one
 * (issue #13).
 */
export interface Frame {
  /** Objects on the current path: seeing one again is a cycle. */
  readonly ancestors: object[];
  /** Containers written so far in this entry: seeing one again is a shared reference. */
  readonly seen: Set<object>;
  nodes: number;
  chars: number;
}

/** A fresh frame; nested serialisations get their own. */
export function newFrame(): Frame {
  return { ancestors: [], seen: new Set(), nodes: 0, chars: 0 };
}

/** Empties a frame for reuse; skips the work when nothing was recorded. */
export function resetFrame(frame: Frame): void {
  if (frame.ancestors.length !== 0) frame.ancestors.length = 0;
  if (frame.seen.size !== 0) frame.seen.clear();
  frame.nodes = 0;
  frame.chars = 0;
}

/** The frame in use, and a way to run one serialisation re-entrantly. */
export interface Frames {
  readonly current: Frame;
  /**
   * Starts one serialisation with a clean frame and returns what
   * {@link Frames.leave} restores: a nested call (a getter that logs) keeps
   * the outer frame intact. A pair of calls rather than `run(fn)`: the closure
   * per call showed in `log()` profiles (issue #15).
   */
  enter(): Frame | undefined;
  /** Ends the serialisation {@link Frames.enter} started; call it in a `finally`. */
  leave(outer: Frame | undefined): void;
}

/**
 * One reusable frame per serialiser; a nested call (a getter that logs) gets a
 * fresh one and the outer is restored after it (issue #13).
 *
 * @example
 * ```ts
 * const frames = createFrames();
 * const outer = frames.enter();
 * try {
 *   frames.current.nodes++;
 * } finally {
 *   frames.leave(outer);
 * }
 * ```
 */
export function createFrames(): Frames {
  const reusable = newFrame();
  let busy = false;
  const frames = {
    current: reusable,
    enter(): Frame | undefined {
      if (!busy) {
        busy = true;
        return undefined;
      }
      const outer = frames.current;
      frames.current = newFrame();
      return outer;
    },
    leave(outer: Frame | undefined): void {
      if (outer === undefined) {
        resetFrame(reusable);
        busy = false;
      } else {
        frames.current = outer;
      }
    },
  };
  return frames;
}
