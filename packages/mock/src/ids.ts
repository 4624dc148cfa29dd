/** Ids of the resources the fake service creates, deterministic for a seed and a clock. */
import { Rng, createRandom } from './seed';

/** A source of new ids. */
export class IdSource {
  readonly #rng: Rng;
  #sequence = 0;

  /** `seed`: PRNG seed (an integer). */
  constructor(seed: number) {
    this.#rng = new Rng(createRandom((seed ^ 0x1d5) >>> 0));
  }

  /**
   * A JobId: `j` + 32 hex digits — the creation time (12 hex digits of milliseconds since the epoch), a
   * 4-digit sequence, then 16 random digits. So jobs created within the same second (which share a
   * CreationTime) list in creation order, since CreationTime ties are ordered by JobId.
   */
  jobId(nowMs: number): string {
    this.#sequence = (this.#sequence + 1) % 0x10000;
    const ms = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
    return `j${ms}${this.#sequence.toString(16).padStart(4, '0')}${this.#rng.hex(16)}`;
  }

  /** A Custom TemplateId: `t1` + 32 hex digits, the form of the documented samples (`t1460606b…`). */
  templateId(): string {
    return `t1${this.#rng.hex(32)}`;
  }

  /** The PRNG (MD5s and media info of finished jobs). */
  get rng(): Rng {
    return this.#rng;
  }
}
