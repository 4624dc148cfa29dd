/**
 * Plain-text tables for terminal output: column widths fitted to the content (East Asian wide characters
 * count two cells), values from the service made safe to print (control and bidi characters escaped).
 */

/** One column of a table. */
export interface Column<Row> {
  /** Header text, printed as given. */
  readonly header: string;
  /** The cell of a row; `undefined` or `''` prints as `-`. */
  readonly cell: (row: Row) => string | undefined;
  /** Leave the column out when no row has a value in it. */
  readonly optional?: boolean;
  /** Longest cell, in terminal cells; longer values are cut with `…`. Default: no limit. */
  readonly maxWidth?: number;
  /**
   * Narrowest the column is in a {@link StreamingTable}, in terminal cells, whatever its first part holds: the
   * width its values usually need (later parts are not known when the widths are fixed). Default: the first part's.
   */
  readonly streamWidth?: number;
}

const EMPTY = '-';
const GAP = '  ';

/**
 * Escapes what a terminal would interpret rather than show: C0/C1 control characters (newlines,
 * ESC sequences) and Unicode bidi overrides, as `\xNN` / `\uNNNN`. Everything else is kept.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * `JSON.stringify`, with the characters a terminal would act on that JSON leaves raw (DEL and the C1 controls, the
 * bidirectional marks and overrides, the line and paragraph separators) written as `\uXXXX` escapes: the same
 * JSON value, safe to print whatever a body held.
 */
export function terminalSafeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Terminal cells taken by one code point: 0 for combining marks, 2 for wide (CJK, emoji), else 1. */
function codePointWidth(cp: number, ch: string): number {
  if (/\p{M}/u.test(ch) || cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Width of a string in terminal cells (see {@link codePointWidth}). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0) ?? 0, ch);
  return width;
}

/** Cuts `text` to at most `max` terminal cells, ending with `…` when something was cut. */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = codePointWidth(ch.codePointAt(0) ?? 0, ch);
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * Renders rows as lines (each ending in `\n`): a header line, then one line per row, columns separated
 * by two spaces and padded to the widest cell; the last column is not padded (no trailing spaces).
 * Optional columns with no value in any row are left out.
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const kept = columns
    .map((col) => ({ col, cells: cellsOf(col, rows) }))
    .filter(({ col, cells }) => !col.optional || cells.some((c) => c !== ''));
  const widths = kept.map(({ col, cells }) => fittedWidth(col, cells));
  return renderLines(
    kept.map((k) => k.col.header),
    kept.map((k) => k.cells),
    widths,
  );
}

/** The cells of one column, sanitised and cut to its `maxWidth`; `''` where a row has no value. */
function cellsOf<Row>(col: Column<Row>, rows: readonly Row[]): string[] {
  return rows.map((row) => {
    const raw = col.cell(row);
    if (raw === undefined || raw === '') return '';
    const safe = sanitize(raw);
    return col.maxWidth === undefined ? safe : truncate(safe, col.maxWidth);
  });
}

/** The widest of the header and the cells (an empty cell prints as `-`). */
function fittedWidth<Row>(col: Column<Row>, cells: readonly string[]): number {
  return Math.max(displayWidth(col.header), ...cells.map((c) => (c === '' ? EMPTY.length : displayWidth(c))));
}

/** The header line and one line per row (`columns[c][r]` is row r of column c), padded to `widths`. */
function renderLines(headers: readonly string[], columns: readonly (readonly string[])[], widths: readonly number[]): string {
  const line = (cells: readonly string[]): string =>
    `${cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i] ?? 0))).join(GAP)}\n`;
  let out = line(headers);
  const rows = columns[0]?.length ?? 0;
  for (let r = 0; r < rows; r++) out += line(columns.map((cells) => cells[r] || EMPTY));
  return out;
}

/**
 * A table printed in parts, e.g. page by page as a listing arrives, with the same columns at the same places in
 * every part: every column is kept (optional ones too: a later part may have values for them), and the widths
 * are fitted to the first part (at least each column's `streamWidth`) and then kept. A longer value in a later part is printed whole and pushes the
 * rest of its own line to the right; nothing is cut but by a column's `maxWidth`.
 */
export class StreamingTable<Row> {
  private widths: number[] | undefined;

  constructor(private readonly columns: readonly Column<Row>[]) {}

  /** The header line and the lines of `rows` (the first call fixes the widths). */
  render(rows: readonly Row[]): string {
    const cells = this.columns.map((col) => cellsOf(col, rows));
    this.widths ??= this.columns.map((col, i) => Math.max(fittedWidth(col, cells[i] ?? []), col.streamWidth ?? 0));
    return renderLines(
      this.columns.map((col) => col.header),
      cells,
      this.widths,
    );
  }
}
