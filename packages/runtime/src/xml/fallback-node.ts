/**
 * The fallback reader where the `node` condition applies (`#xml-fallback`): loaded with the runtime, so the
 * synchronous `decodeXml`/`decodeDocument` can always use it. Elsewhere `./fallback-lazy.ts` loads it on first
 * need, as a chunk of its own.
 */
import { readFallback } from '#xml-fallback-reader';

/** The fallback reader, when it is loaded (always, on Node). */
export function fallbackReader(): typeof readFallback | undefined {
  return readFallback;
}

/** Loads the fallback reader (already loaded on Node). */
export function loadFallbackReader(): Promise<typeof readFallback> {
  return Promise.resolve(readFallback);
}
