/**
 * A one-line progress display on stderr for long listings (`jobs list --all`): items and pages so far and the
 * rate, redrawn in place (`\r` + erase line). Only for a terminal: `--progress` / `--no-progress` force it on
 * or off, otherwise it is on exactly when stderr is a TTY. Nothing of it ever goes to stdout.
 */
import { plural, type CliIo } from './common';

/** Carriage return, then "erase to the end of the line" (ANSI EL 0). */
const REDRAW = '\r\x1b[K';

/** Whether a listing shows progress: the flag when given (`--progress` / `--no-progress`), else whether stderr is a terminal. */
export function progressEnabled(io: CliIo, flag: boolean | undefined): boolean {
  return flag ?? io.stderrIsTTY === true;
}

/** Thousands separated by commas: `20,000`. */
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The progress of one listing. `page()` after each page; `suspend()` before anything else is written to the
 * terminal (a page of the table on stdout, a message on stderr) and `resume()` after it; `clear()` at the end.
 * A disabled progress writes nothing at all.
 */
export class ListingProgress {
  private items = 0;
  private pages = 0;
  private shown = false;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private readonly started: number;

  /**
   * @param write where the line goes (stderr)
   * @param noun what is listed, singular (`job`)
   * @param enabled whether anything is written
   * @param now a clock in milliseconds (`performance.now`)
   * @param minIntervalMs redraws at most this often (ms), except on `resume()`
   */
  constructor(
    private readonly write: (s: string) => void,
    private readonly noun: string,
    readonly enabled: boolean,
    private readonly now: () => number = () => performance.now(),
    private readonly minIntervalMs = 100,
  ) {
    this.started = now();
    if (enabled) this.draw();
  }

  /** A page of `n` items arrived. */
  page(n: number): void {
    this.items += n;
    this.pages++;
    if (this.enabled && this.now() - this.lastDraw >= this.minIntervalMs) this.draw();
  }

  /** The line as it reads now: `1,200 jobs in 12 pages, 2,400 jobs/s`. */
  line(): string {
    if (this.pages === 0) return `listing ${this.noun}s: waiting for page 1…`;
    const seconds = (this.now() - this.started) / 1000;
    const rate = seconds > 0 ? `, ${count(Math.round(this.items / seconds))} ${this.noun}s/s` : '';
    return `listing ${this.noun}s: ${count(this.items)} ${this.noun}${this.items === 1 ? '' : 's'} in ${plural(this.pages, 'page')}${rate}`;
  }

  /** Erases the line so that other output starts on a clean line. */
  suspend(): void {
    if (!this.shown) return;
    this.write(REDRAW);
    this.shown = false;
  }

  /** Draws the line again after {@link suspend}. */
  resume(): void {
    if (this.enabled) this.draw();
  }

  /** Erases the line for good (the listing ended, or failed). */
  clear(): void {
    this.suspend();
  }

  private draw(): void {
    this.lastDraw = this.now();
    this.shown = true;
    this.write(`${REDRAW}${this.line()}`);
  }
}
