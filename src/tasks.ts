/**
 * Long computations and the event loop: fits and SVDs run synchronous kernels step after step, so between
 * steps they yield (timers, abort events and the page stay alive) and check their AbortSignal.
 * @module
 */
import { AbortError } from './errors.js';

/** Let timers and abort events run (setImmediate where there is one: Node; otherwise a 0 ms timer). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Throw an AbortError saying `what` (with the signal's reason, then `after`) if `signal` fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string, after = ''): void {
  if (signal?.aborted)
    throw new AbortError(`${what}${signal.reason !== undefined ? `: ${String(signal.reason)}` : ''}${after}`);
}
