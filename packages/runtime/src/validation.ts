/**
 * What a client does with what the decoder found in a response that the spec does not say (see
 * {@link DecodeIssue}): the `validateResponses` modes.
 *
 * | mode | unknown element | missing required member, number out of range | wrong type / not convertible |
 * |---|---|---|---|
 * | `off` | kept, nothing said | returned as decoded, nothing said | `CiDecodeError` |
 * | `lenient` (default) | kept, nothing said | returned, one warning per place | `CiDecodeError` |
 * | `warn` | kept, one warning per place | returned, one warning per place | `CiDecodeError` |
 * | `strict` | `CiValidationError` | `CiValidationError` | `CiDecodeError` |
 *
 * Warnings go to the logger, each place once (`Response.JobsDetail[].Foo`, whatever the index), at most
 * {@link MAX_WARNINGS_PER_CLIENT} over a client's life, then one line saying the rest are suppressed.
 */
import { CiValidationError } from './errors';
import type { DecodedDocument, DecodeIssue } from './xml/shaper';

/** How responses are checked against the spec after decoding. See the module's table. */
export type ValidationMode = 'off' | 'lenient' | 'warn' | 'strict';

/** The modes, for checking a configuration. */
export const VALIDATION_MODES: readonly ValidationMode[] = ['off', 'lenient', 'warn', 'strict'];

/** The default mode: silent about elements the spec does not know (the service adding a field is normal). */
export const DEFAULT_VALIDATION_MODE: ValidationMode = 'lenient';

/** Distinct warnings a client logs over its life before it says the rest are suppressed. */
export const MAX_WARNINGS_PER_CLIENT = 100;

/** Where warnings go. */
export interface Logger {
  warn(message: string): void;
}

/** Applies a validation mode to decoded responses; one per client (it remembers what it has said). */
export class ResponseChecker {
  readonly #mode: ValidationMode;
  readonly #logger: Logger;
  readonly #maxWarnings: number;
  readonly #said = new Set<string>();
  #suppressed = false;

  constructor(mode: ValidationMode = DEFAULT_VALIDATION_MODE, logger: Logger = console, maxWarnings = MAX_WARNINGS_PER_CLIENT) {
    this.#mode = mode;
    this.#logger = logger;
    this.#maxWarnings = maxWarnings;
  }

  /**
   * Checks one decoded response of `operationId`. Throws {@link CiValidationError} in `strict` mode when there is
   * any issue (listing the first ones kept, and how many there were); logs in `lenient` and `warn` modes.
   */
  check(operationId: string, decoded: DecodedDocument): void {
    if (this.#mode === 'off' || decoded.issueCount === 0) return;
    if (this.#mode === 'strict') {
      const more = decoded.issueCount - decoded.issues.length;
      throw new CiValidationError(
        `${operationId} response does not match the spec (${decoded.issueCount} issue${decoded.issueCount === 1 ? '' : 's'}${
          more > 0 ? `, the first ${decoded.issues.length} listed` : ''
        })`,
        decoded.issues.map((i) => ({ path: i.path, message: i.message })),
      );
    }
    for (const issue of decoded.issues) {
      if (this.#mode === 'lenient' && issue.kind === 'unknown') continue;
      this.#warn(operationId, issue);
    }
  }

  #warn(operationId: string, issue: DecodeIssue): void {
    const line = `${operationId} response does not match the spec: ${issue.key} ${issue.message}`;
    if (this.#said.has(line) || this.#suppressed) return;
    if (this.#said.size >= this.#maxWarnings) {
      this.#suppressed = true;
      this.#logger.warn(`[cloud-infinite] ${this.#maxWarnings} distinct response warnings logged; further ones are suppressed`);
      return;
    }
    this.#said.add(line);
    this.#logger.warn(`[cloud-infinite] ${line}`);
  }
}
