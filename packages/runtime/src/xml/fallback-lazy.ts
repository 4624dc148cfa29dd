/**
 * The fallback reader where the `node` condition does not apply (a browser, a worker: `#xml-fallback`): not
 * part of the runtime's own code, loaded by a dynamic import the first time a document outside the single-pass
 * reader's subset arrives, so a bundler puts fast-xml-parser in a chunk of its own that most apps never fetch.
 */
import type { readFallback as ReadFallback } from './fallback';

let loaded: typeof ReadFallback | undefined;
let loading: Promise<typeof ReadFallback> | undefined;

/** The fallback reader, once {@link loadFallbackReader} has loaded it. */
export function fallbackReader(): typeof ReadFallback | undefined {
  return loaded;
}

/** Loads the fallback reader (once; concurrent callers share the load). */
export function loadFallbackReader(): Promise<typeof ReadFallback> {
  loading ??= import('#xml-fallback-reader').then((m) => (loaded = m.readFallback));
  return loading;
}
