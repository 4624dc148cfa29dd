/**
 * The public API of a package as a list: every export of its declaration entry point (`dist/index.d.ts`)
 * with its kind, read with the TypeScript compiler API. Re-exports (`export *`, `export { x } from`,
 * `export * as ns`) are followed to the declaration, so `runtime`'s `CiError` re-exported by `client`
 * appears in both lists as a class.
 */
import ts from 'typescript';

export interface ExportEntry {
  readonly name: string;
  /**
   * e.g. `class`, `abstract class`, `function`, `const`, `interface`, `type`, `enum`, `namespace`; `a + b` when
   * one name is both (a const and a type); `type-only class` when a value is exported with `export type`.
   */
  readonly kind: string;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

/** Kinds that declare only a type. */
const TYPE_KINDS = new Set(['interface', 'type']);

/** The kinds of one declaration (a declaration can be a value and a type at once, e.g. a class). */
function kindOf(decl: ts.Declaration): string | undefined {
  if (ts.isClassDeclaration(decl)) {
    return ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Abstract ? 'abstract class' : 'class';
  }
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  if (ts.isEnumDeclaration(decl)) return ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Const ? 'const enum' : 'enum';
  if (ts.isModuleDeclaration(decl) || ts.isSourceFile(decl)) return 'namespace';
  if (ts.isVariableDeclaration(decl)) {
    const flags = ts.getCombinedNodeFlags(decl);
    return flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
  }
  return undefined;
}

/** Was this export declared `export type { … }` (or `export { type … }`)? Then only its type is public. */
function isTypeOnlyExport(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) =>
      (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)) ||
      (ts.isNamespaceExport(d) && d.parent.isTypeOnly) ||
      (ts.isImportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)),
  );
}

/** Every export of the module at `entry` (a `.d.ts`), sorted by name. Throws on a declaration error. */
export function snapshotExports(entry: string): ExportEntry[] {
  const program = ts.createProgram([entry], COMPILER_OPTIONS);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) {
    const host: ts.FormatDiagnosticsHost = {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => '\n',
    };
    throw new Error(`${entry} does not compile:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);

  const entries: ExportEntry[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    let typeOnly = isTypeOnlyExport(exported);
    let target = exported;
    for (let i = 0; i < 32 && target.flags & ts.SymbolFlags.Alias; i++) {
      const next = checker.getImmediateAliasedSymbol(target);
      if (!next) break;
      target = next;
      typeOnly ||= isTypeOnlyExport(target);
    }
    const kinds = [...new Set((target.declarations ?? []).map(kindOf).filter((k): k is string => k !== undefined))];
    if (!kinds.length) throw new Error(`${entry}: cannot tell the kind of export ${exported.name}`);
    // a class merged with an interface of the same name is still a class; a function with overloads is one function
    const shown = kinds.includes('class') || kinds.includes('abstract class') ? kinds.filter((k) => k !== 'interface') : kinds;
    // `export type { X }` matters only for a value (a type-only class cannot be constructed); for an
    // interface or a type alias `export type` and `export` are the same API, so it is not shown
    const typeOnlyValue = typeOnly && shown.some((k) => !TYPE_KINDS.has(k));
    entries.push({ name: exported.name, kind: `${typeOnlyValue ? 'type-only ' : ''}${shown.sort().join(' + ')}` });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

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

/** The `types` target of one `exports` entry (conditions followed: types, then import/require/node/default). */
function typesTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return /\.d\.[cm]?ts$/.test(target) ? target : undefined;
  if (Array.isArray(target)) return target.map(typesTarget).find((t) => t !== undefined);
  if (target && typeof target === 'object') {
    const conditions = target as Record<string, unknown>;
    for (const key of ['types', 'typings', 'import', 'require', 'node', 'default']) {
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

/** The committed text of one package's API list: a section per entry point. */
export function renderSnapshot(
  packageName: string,
  sections: ReadonlyArray<EntryPoint & { readonly entries: readonly ExportEntry[] }>,
): string {
  const total = sections.reduce((n, s) => n + s.entries.length, 0);
  const lines = [
    `# Public API of ${packageName}: every export of each entry point, and its kind.`,
    '# Generated by tools/api-snapshot (`npm run api:update`); `npm run api:check` fails in CI when this differs.',
    `# ${sections.length} entry point${sections.length === 1 ? '' : 's'}, ${total} exports.`,
  ];
  for (const section of sections) {
    // `name: kind`, unaligned: adding a long name must not rewrite every other line of the diff
    lines.push('', `[${section.specifier}] ${section.types}`, ...section.entries.map((e) => `${e.name}: ${e.kind}`));
  }
  return `${lines.join('\n')}\n`;
}
