/**
 * `ci-media queues list|update`: media queues (DescribeMediaQueues, UpdateMediaQueue).
 */
import { Command, Option } from 'commander';
import {
  shapes,
  type CiMediaClient,
  type DescribeMediaQueuesInput,
  type MediaQueue,
  type NotifyConfigInput,
  type QueueStateInput,
} from '@cloud-infinite/client';
import { QUEUE_COLUMNS } from '../columns';
import {
  addConnectionOptions,
  callOptions,
  CommandFailure,
  createClient,
  defineAction,
  environmentHelp,
  idList,
  listOf,
  oneOf,
  printJson,
  UsageError,
  type CliIo,
  type ConnectionFlags,
} from '../common';
import { asInput, pickKnown, readBodyInput, setIn, type JsonObject } from '../input';
import { renderTable } from '../table';
import { addPagingOptions, listNumbered, noSuch, type PagingFlags } from './paging';

type QueueState = QueueStateInput;
type Category = NonNullable<DescribeMediaQueuesInput['category']>;
type NotifyState = NonNullable<NotifyConfigInput['State']>;
type NotifyType = NonNullable<NotifyConfigInput['Type']>;
type ResultFormat = NonNullable<NotifyConfigInput['ResultFormat']>;
type NotifyEvent = 'TaskFinish' | 'WorkflowFinish';

const keys = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[];
const STATES: Record<QueueState, true> = { Active: true, Paused: true };
const CATEGORIES: Record<Category, true> = { CateAll: true, Transcoding: true, SpeedTranscoding: true };
const NOTIFY_STATES: Record<NotifyState, true> = { On: true, Off: true };
const NOTIFY_TYPES: Record<NotifyType, true> = { Url: true, TDMQ: true, Kafka: true };
const RESULT_FORMATS: Record<ResultFormat, true> = { XML: true, JSON: true };
const NOTIFY_EVENTS: Record<NotifyEvent, true> = { TaskFinish: true, WorkflowFinish: true };

/** The options of `queues list`, as parsed. */
export type QueuesListFlags = ConnectionFlags &
  PagingFlags & {
    queueIds?: string[] | undefined;
    state?: QueueState | undefined;
    category?: Category | undefined;
  };

/** The options of `queues update`, as parsed. */
export type QueuesUpdateFlags = ConnectionFlags & {
  input?: string | undefined;
  name?: string | undefined;
  state?: QueueState | undefined;
  notifyUrl?: string | undefined;
  notifyState?: NotifyState | undefined;
  notifyType?: NotifyType | undefined;
  notifyEvent?: NotifyEvent[] | undefined;
  notifyFormat?: ResultFormat | undefined;
  json?: boolean | undefined;
};

const UPDATE_EXAMPLES = `
Without --input, the queue's current Name, State and NotifyConfig are fetched first and the flags change
them; with --input, the document is the whole body and the flags change it.

Examples:
  $ ci-media queues update p893bcda225bf4945a378da6662e81a89 --state Paused
  $ ci-media queues update p893… --notify-state On --notify-url https://example.com/ci --notify-event TaskFinish
  $ ci-media queues update p893… --input queue.json`;

/** Adds the `queues` command group to `program`. */
export function registerQueuesCommands(program: Command, io: CliIo): void {
  const queues = program.command('queues').description('media queues: where jobs wait and run');

  const list = queues
    .command('list')
    .description('list queues, a page at a time (DescribeMediaQueues); exits 1 when a --queue-ids id does not exist')
    .addOption(new Option('--queue-ids <ids>', 'only these queues (comma-separated, at most 10)').argParser(idList('queue ids')))
    .addOption(new Option('--state <state>', 'only queues in this state: Active or Paused').argParser(oneOf(keys(STATES))))
    .addOption(
      new Option('--category <category>', 'CateAll (service default), Transcoding or SpeedTranscoding').argParser(oneOf(keys(CATEGORIES))),
    );
  addPagingOptions(list, 'queues', 'QueueList');
  addConnectionOptions(list);
  list.addHelpText('after', environmentHelp());
  defineAction<QueuesListFlags>(list, (flags) => listQueues(io, flags));

  const update = queues
    .command('update')
    .description("change a queue's name, state or notifications (UpdateMediaQueue)")
    .argument('<queueId>', 'the queue to update')
    .option('--input <file>', 'the request body as JSON (a file, or \'-\' for stdin): {"Name", "State", "NotifyConfig"}')
    .option('--name <name>', "the queue's name (Name)")
    .addOption(new Option('--state <state>', 'Active (runs jobs) or Paused (holds them)').argParser(oneOf(keys(STATES))))
    .option('--notify-url <url>', 'callback URL (NotifyConfig.Url)')
    .addOption(new Option('--notify-state <state>', 'notifications On or Off (NotifyConfig.State)').argParser(oneOf(keys(NOTIFY_STATES))))
    .addOption(new Option('--notify-type <type>', 'Url, TDMQ or Kafka (NotifyConfig.Type)').argParser(oneOf(keys(NOTIFY_TYPES))))
    .addOption(
      new Option('--notify-event <events>', 'comma-separated: TaskFinish, WorkflowFinish (NotifyConfig.Event)').argParser(
        listOf(keys(NOTIFY_EVENTS)),
      ),
    )
    .addOption(
      new Option('--notify-format <format>', 'callback body XML or JSON (NotifyConfig.ResultFormat)').argParser(
        oneOf(keys(RESULT_FORMATS)),
      ),
    )
    .option('--json', 'print the decoded response as JSON');
  addConnectionOptions(update);
  update.addHelpText('after', `${environmentHelp()}\n${UPDATE_EXAMPLES}`);
  defineAction<QueuesUpdateFlags>(update, (flags, args) => updateQueue(io, flags, args[0] ?? ''));
}

function toListInput(flags: QueuesListFlags): DescribeMediaQueuesInput {
  const input: DescribeMediaQueuesInput = {};
  if (flags.queueIds !== undefined) input.queueIds = flags.queueIds;
  if (flags.state !== undefined) input.state = flags.state;
  if (flags.category !== undefined) input.category = flags.category;
  if (flags.pageNumber !== undefined) input.pageNumber = flags.pageNumber;
  if (flags.pageSize !== undefined) input.pageSize = flags.pageSize;
  return input;
}

function printQueues(io: CliIo, queues: readonly MediaQueue[]): void {
  io.stdout(queues.length > 0 ? renderTable(QUEUE_COLUMNS, queues) : 'No queues.\n');
}

/** `ci-media queues list`. */
async function listQueues(io: CliIo, flags: QueuesListFlags): Promise<void> {
  const input = toListInput(flags);
  const client = createClient(io, flags);
  await listNumbered(io, flags, {
    noun: 'queue',
    listElement: 'QueueList',
    fetchPage: () => client.describeMediaQueues(input, callOptions(io)),
    pages: () => client.paginateMediaQueuePages(input, callOptions(io)),
    itemsOf: (page) => page.QueueList,
    nonExistOf: (page) => page.NonExistPIDs ?? [],
    nonExistElement: 'NonExistPIDs',
    idOf: (queue) => queue.QueueId,
    print: (queues) => printQueues(io, queues),
    requestedIds: flags.state !== undefined || flags.category !== undefined ? undefined : flags.queueIds,
  });
}

/** The queue as the service has it, reduced to what an UpdateMediaQueue body can carry. */
async function currentQueueBody(client: CiMediaClient, io: CliIo, queueId: string): Promise<JsonObject> {
  const page = await client.describeMediaQueues({ queueIds: [queueId] }, callOptions(io));
  const queue = page.QueueList.find((q) => q.QueueId === queueId);
  if (!queue) throw new CommandFailure(noSuch('queue', [queueId]));
  return pickKnown(queue, shapes.UpdateMediaQueueRequestShape) ?? {};
}

function hasUpdateFlags(flags: QueuesUpdateFlags): boolean {
  return [flags.name, flags.state, flags.notifyUrl, flags.notifyState, flags.notifyType, flags.notifyEvent, flags.notifyFormat].some(
    (v) => v !== undefined,
  );
}

/**
 * The UpdateMediaQueue body: `base` (the `--input` document, or the queue as it is) with every flag over
 * it.
 */
export function applyQueueFlags(base: JsonObject, flags: QueuesUpdateFlags): JsonObject {
  if (flags.name !== undefined && flags.name.trim() === '') throw new UsageError('--name must not be empty');
  let body = setIn(base, ['Name'], flags.name);
  body = setIn(body, ['State'], flags.state);
  body = setIn(body, ['NotifyConfig', 'Url'], flags.notifyUrl);
  body = setIn(body, ['NotifyConfig', 'State'], flags.notifyState);
  body = setIn(body, ['NotifyConfig', 'Type'], flags.notifyType);
  body = setIn(body, ['NotifyConfig', 'Event'], flags.notifyEvent?.join(','));
  body = setIn(body, ['NotifyConfig', 'ResultFormat'], flags.notifyFormat);
  return body;
}

/** `ci-media queues update`. */
async function updateQueue(io: CliIo, flags: QueuesUpdateFlags, queueId: string): Promise<void> {
  if (queueId.trim() === '') throw new UsageError('the queue id must not be empty');
  if (flags.input === undefined && !hasUpdateFlags(flags)) {
    throw new UsageError('nothing to change: give --name, --state, --notify-… flags, or the body with --input');
  }
  const fromInput = flags.input === undefined ? undefined : await readBodyInput(io, flags.input, 'UpdateMediaQueue');
  const client = createClient(io, flags);
  const base = fromInput ?? (await currentQueueBody(client, io, queueId));
  const body = applyQueueFlags(base, flags);
  const result = await client.updateMediaQueue({ ...asInput('UpdateMediaQueue', body), queueId }, callOptions(io));
  if (flags.json) printJson(io, result);
  else printQueues(io, [result.Queue]);
}
