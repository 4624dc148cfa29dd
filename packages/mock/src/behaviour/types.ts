/** What a behaviour is: the hand-written, stateful part of one operation, keyed by its operationId. */
import type { OperationTypes } from '@cloud-infinite/client';
import type { OperationId, OperationInput } from '../operations';
import type { RouteContext } from '../router';

/**
 * The behaviour of one operation: takes the request's input (read and validated by the generated table, see
 * `../operations.ts`) and returns the operation's output, which the service encodes with the operation's
 * response shape. Throws a `FakeCiError` to refuse.
 */
export type Behaviour<K extends OperationId> = (ctx: RouteContext, input: OperationInput<K>) => OperationTypes[K]['output'];

/** Behaviours by operationId; an operation without one is answered from its recordings (`../answers.ts`). */
export type Behaviours = { readonly [K in OperationId]?: Behaviour<K> };
