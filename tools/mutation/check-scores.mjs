#!/usr/bin/env node
/**
 * The mutation score of each file of a StrykerJS JSON report (mutation-testing-report-schema), and the rule that
 * no file of the heart falls below {@link MIN_FILE_SCORE} (Stryker's own `thresholds.break` only judges the
 * whole). A file's score is Stryker's: (killed + timed out) / (killed + timed out + survived + no coverage);
 * compile errors, runtime errors and ignored mutants do not count.
 *
 * Prints the table and exits 1 naming each file below the minimum. Run by run.mjs after Stryker.
 * Usage: `node tools/mutation/check-scores.mjs [reports/mutation/mutation.json]`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lowest score a single file may have, in percent. */
export const MIN_FILE_SCORE = 80;
/** Lowest score of the whole, in percent (as `thresholds.break` in stryker.config.mjs). */
export const MIN_TOTAL_SCORE = 85;

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Counts of one file's (or the whole's) mutants, and its score in percent (NaN when no mutant is valid). */
export function tally(mutants) {
  const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') counts.killed++;
    else if (m.status === 'Timeout') counts.timeout++;
    else if (m.status === 'Survived') counts.survived++;
    else if (m.status === 'NoCoverage') counts.noCoverage++;
    else counts.other++;
  }
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
  return { ...counts, valid, score: valid === 0 ? Number.NaN : (100 * detected) / valid };
}

/** Per-file tallies of a report, sorted by path, and the tally of the whole. */
export function scores(report) {
  const files = Object.entries(report.files ?? {})
    .map(([path, file]) => ({ path, ...tally(file.mutants ?? []) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const all = tally(Object.values(report.files ?? {}).flatMap((file) => file.mutants ?? []));
  return { files, all };
}

/** The problems of a report: each file under `minFile`, the whole under `minTotal`, no mutant at all. */
export function problems(report, minFile = MIN_FILE_SCORE, minTotal = MIN_TOTAL_SCORE) {
  const { files, all } = scores(report);
  const out = [];
  if (all.valid === 0) out.push('the report holds no valid mutant');
  for (const f of files) {
    if (f.valid > 0 && f.score < minFile) out.push(`${f.path}: ${f.score.toFixed(2)}% is below ${minFile}%`);
  }
  if (all.valid > 0 && all.score < minTotal) out.push(`all files: ${all.score.toFixed(2)}% is below ${minTotal}%`);
  return out;
}

/** The table printed after a run. */
export function formatTable(report) {
  const { files, all } = scores(report);
  const rows = [...files, { path: 'all files', ...all }];
  const width = Math.max(...rows.map((r) => r.path.length));
  const line = (r) =>
    `${r.path.padEnd(width)}  ${Number.isNaN(r.score) ? '   n/a' : r.score.toFixed(2).padStart(6)}%  ` +
    `${String(r.valid).padStart(5)} valid  ${String(r.survived).padStart(4)} survived  ${String(r.noCoverage).padStart(4)} no coverage`;
  return rows.map(line).join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? 'reports/mutation/mutation.json';
  const report = JSON.parse(readFileSync(path, 'utf8'));
  console.log(`mutation score per file (${path}):\n${formatTable(report)}`);
  const found = problems(report);
  if (found.length) {
    console.error(`mutation: ${found.length} below the minimum (each file ${MIN_FILE_SCORE}%, the whole ${MIN_TOTAL_SCORE}%):`);
    for (const p of found) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`mutation: ok, every file >= ${MIN_FILE_SCORE}% and the whole >= ${MIN_TOTAL_SCORE}%`);
}
