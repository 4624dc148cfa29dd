/**
 * The fake's stateful behaviour, by operationId: the job state machine and listings, queues, templates. Every
 * operation of the generated table without an entry here is answered from its recordings (`../answers.ts`).
 */
import { jobBehaviours } from './jobs';
import { queueBehaviours } from './queues';
import { templateBehaviours } from './templates';
import type { Behaviours } from './types';

export type { Behaviour, Behaviours } from './types';

/** Every behaviour the fake has, by operationId (read at each request). */
export const BEHAVIOURS: Behaviours = { ...jobBehaviours, ...queueBehaviours, ...templateBehaviours };
