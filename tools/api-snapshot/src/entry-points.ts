/**
 * The entry points of a package, from its package.json: how users import each one (`@cloud-infinite/mock`,
 * `@cloud-infinite/mock/msw`) and the CommonJS declaration file TypeScript gives them (`dist/index.d.ts`; the ESM
 * `.d.mts` twins are built from the same sources).
 */

/** One entry point of a package: how users import it and the declaration file TypeScript gives them. */
export interface EntryPoint {
  /** e.g. `@cloud-infinite/mock` or `@cloud-infinite/mock/msw`. */
  readonly specifier: string;
  /** The declaration file, relative to the package folder, e.g. `dist/index.d.ts`. */
  readonly types: string;
}

/** The fields of package.json that say where the declarations are. */
export interface Manifest {
  readonly name: string;
  readonly types?: string;
  readonly typings?: string;
  readonly exports?: unknown;
}

/** The `types` target of one `exports` entry (conditions followed: types, then require/node/import/default). */
function typesTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return /\.d\.[cm]?ts$/.test(target) ? target : undefined;
  if (Array.isArray(target)) return target.map(typesTarget).find((t) => t !== undefined);
  if (target && typeof target === 'object') {
    const conditions = target as Record<string, unknown>;
    for (const key of ['types', 'typings', 'require', 'node', 'import', 'default']) {
      const found = key in conditions ? typesTarget(conditions[key]) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Every entry point of a package: each subpath of `exports` that has declarations, or the package itself
 * (`types`) when there is no `exports` map. `./package.json` and other non-code subpaths are skipped.
 */
export function entryPointsOf(manifest: Manifest): EntryPoint[] {
  const fallback = manifest.types ?? manifest.typings ?? 'index.d.ts';
  const strip = (p: string) => p.replace(/^\.\//, '');
  const exp = manifest.exports;
  if (exp === undefined || typeof exp === 'string' || Array.isArray(exp)) return [{ specifier: manifest.name, types: strip(fallback) }];
  const map = exp as Record<string, unknown>;
  const keys = Object.keys(map);
  // an `exports` object of conditions (no subpaths) describes "." alone
  if (!keys.some((k) => k.startsWith('.'))) return [{ specifier: manifest.name, types: strip(typesTarget(map) ?? fallback) }];
  const out: EntryPoint[] = [];
  for (const key of keys) {
    if (key.includes('*')) throw new Error(`${manifest.name}: wildcard export ${key} is not supported by tools/api-snapshot`);
    const types = typesTarget(map[key]) ?? (key === '.' ? fallback : undefined);
    if (types === undefined) continue; // e.g. ./package.json
    out.push({ specifier: key === '.' ? manifest.name : `${manifest.name}/${strip(key)}`, types: strip(types) });
  }
  return out.sort((a, b) => (a.specifier < b.specifier ? -1 : a.specifier > b.specifier ? 1 : 0));
}
