/**
 * `ci-media templates list|create|update|delete`: animated-image templates (DescribeMediaTemplates,
 * CreateMediaTemplate, UpdateMediaTemplate, DeleteMediaTemplate).
 */
import { Command, Option } from 'commander';
import {
  shapes,
  TemplateTagFilterValues,
  type CiMediaClient,
  type DescribeMediaTemplatesInput,
  type MediaTemplate,
} from '@cloud-infinite/client';
import { TEMPLATE_COLUMNS } from '../columns';
import {
  addConnectionOptions,
  callOptions,
  CommandFailure,
  createClient,
  defineAction,
  environmentHelp,
  idList,
  oneOf,
  printJson,
  UsageError,
  type CliIo,
  type ConnectionFlags,
} from '../common';
import { asInput, pickKnown, readBodyInput, setIn, type BodyOperation, type JsonObject } from '../input';
import { renderTable, sanitize } from '../table';
import { addAnimationOptions, applyAnimationFlags, hasAnimationFlags, type AnimationFlags } from './animation';
import { addPagingOptions, listNumbered, noSuch, type PagingFlags } from './paging';

type Tag = NonNullable<DescribeMediaTemplatesInput['tag']>;
type Category = NonNullable<DescribeMediaTemplatesInput['category']>;
const keys = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[];
const TAGS: Record<Tag, true> = Object.fromEntries(TemplateTagFilterValues.map((t) => [t, true])) as Record<Tag, true>;
const CATEGORIES: Record<Category, true> = { Custom: true, Official: true };

/** The options of `templates list`, as parsed. */
export type TemplatesListFlags = ConnectionFlags &
  PagingFlags & {
    ids?: string[] | undefined;
    name?: string | undefined;
    category?: Category | undefined;
    tag: Tag;
  };

/** The options of `templates create` and `templates update`, as parsed. */
export type TemplateBodyFlags = ConnectionFlags &
  AnimationFlags & {
    input?: string | undefined;
    name?: string | undefined;
    json?: boolean | undefined;
  };

const CREATE_EXAMPLES = `
Examples:
  $ ci-media templates create --name gif-480 --format gif --width 480 --fps 15
  $ ci-media templates create --name webp-q80 --format webp --quality 80 --start 1.5 --duration 10
  $ ci-media templates create --input template.json`;

const UPDATE_EXAMPLES = `
Without --input, the template's current Name and parameters are fetched first and the flags change them
(the service replaces the whole template); with --input, the document is the whole body and the flags
change it.

Examples:
  $ ci-media templates update t1460606b9752148c4ab182f55163ba7cd --fps 20
  $ ci-media templates update t14… --name gif-720 --width 720
  $ ci-media templates update t14… --input template.json`;

/** Adds the `templates` command group to `program`. */
export function registerTemplatesCommands(program: Command, io: CliIo): void {
  const templates = program.command('templates').description('animated-image templates: reusable job parameters');

  const list = templates
    .command('list')
    .description('list templates, a page at a time (DescribeMediaTemplates); exits 1 when an --ids id does not exist')
    .addOption(new Option('--ids <ids>', 'only these templates (comma-separated)').argParser(idList('template ids')))
    .option('--name <prefix>', 'only templates whose name starts with this')
    .addOption(
      new Option('--category <category>', 'Custom (yours; service default) or Official (presets)').argParser(oneOf(keys(CATEGORIES))),
    )
    .addOption(new Option('--tag <tag>', 'template type').argParser(oneOf(keys(TAGS))).default('Animation'));
  addPagingOptions(list, 'templates', 'TemplateList');
  addConnectionOptions(list);
  list.addHelpText('after', environmentHelp());
  defineAction<TemplatesListFlags>(list, (flags) => listTemplates(io, flags));

  const create = templates
    .command('create')
    .description('create an animated-image template (CreateMediaTemplate); the body comes from --input, from flags, or both (flags win)')
    .option(
      '--input <file>',
      'the request body as JSON (a file, or \'-\' for stdin): {"Tag", "Name", "Container", "Video", "TimeInterval"}',
    )
    .option('--name <name>', "the template's name, at most 64 characters");
  addAnimationOptions(create);
  create.option('--json', 'print the decoded response as JSON');
  addConnectionOptions(create);
  create.addHelpText('after', `${environmentHelp()}\n${CREATE_EXAMPLES}`);
  defineAction<TemplateBodyFlags>(create, (flags) => createTemplate(io, flags));

  const update = templates
    .command('update')
    .description("change a template's name or parameters (UpdateMediaTemplate)")
    .argument('<templateId>', 'the template to update')
    .option('--input <file>', "the request body as JSON (a file, or '-' for stdin), as for create")
    .option('--name <name>', "the template's name, at most 64 characters");
  addAnimationOptions(update);
  update.option('--json', 'print the decoded response as JSON');
  addConnectionOptions(update);
  update.addHelpText('after', `${environmentHelp()}\n${UPDATE_EXAMPLES}`);
  defineAction<TemplateBodyFlags>(update, (flags, args) => updateTemplate(io, flags, args[0] ?? ''));

  const del = templates
    .command('delete')
    .description('delete a template (DeleteMediaTemplate)')
    .argument('<templateId>', 'the template to delete')
    .option('--json', 'print the decoded response as JSON ({ "RequestId", "TemplateId" })');
  addConnectionOptions(del);
  del.addHelpText('after', environmentHelp());
  defineAction<ConnectionFlags & { json?: boolean }>(del, (flags, args) => deleteTemplate(io, flags, args[0] ?? ''));
}

function toListInput(flags: TemplatesListFlags): DescribeMediaTemplatesInput {
  const input: DescribeMediaTemplatesInput = { tag: flags.tag };
  if (flags.category !== undefined) input.category = flags.category;
  if (flags.ids !== undefined) input.ids = flags.ids;
  if (flags.name !== undefined) input.name = flags.name;
  if (flags.pageNumber !== undefined) input.pageNumber = flags.pageNumber;
  if (flags.pageSize !== undefined) input.pageSize = flags.pageSize;
  return input;
}

function printTemplates(io: CliIo, list: readonly MediaTemplate[]): void {
  io.stdout(list.length > 0 ? renderTable(TEMPLATE_COLUMNS, list) : 'No templates.\n');
}

/** `ci-media templates list`. */
async function listTemplates(io: CliIo, flags: TemplatesListFlags): Promise<void> {
  const input = toListInput(flags);
  const client = createClient(io, flags);
  await listNumbered(io, flags, {
    noun: 'template',
    listElement: 'TemplateList',
    fetchPage: () => client.describeMediaTemplates(input, callOptions(io)),
    pages: () => client.paginateMediaTemplatePages(input, callOptions(io)),
    itemsOf: (page) => page.TemplateList,
    nonExistOf: (page) => page.NonExistTIDs ?? [],
    nonExistElement: 'NonExistTIDs',
    idOf: (template) => template.TemplateId,
    print: (list) => printTemplates(io, list),
    requestedIds: flags.name !== undefined || flags.category !== undefined ? undefined : flags.ids,
  });
}

/**
 * A template body: `base` with `Tag` defaulting to `Animation`, then `--name` and the animation flags
 * over it (`Container`, `Video`, `TimeInterval` sit at the top of a template body).
 */
export function applyTemplateFlags(base: JsonObject, flags: TemplateBodyFlags): JsonObject {
  if (flags.name !== undefined && flags.name.trim() === '') throw new UsageError('--name must not be empty');
  let body = base.Tag === undefined ? setIn(base, ['Tag'], 'Animation') : base;
  body = setIn(body, ['Name'], flags.name);
  return hasAnimationFlags(flags) ? applyAnimationFlags(body, flags) : body;
}

async function readTemplateInput(io: CliIo, flags: TemplateBodyFlags, operationId: BodyOperation): Promise<JsonObject | undefined> {
  return flags.input === undefined ? undefined : readBodyInput(io, flags.input, operationId);
}

function printTemplateResult(io: CliIo, flags: { json?: boolean | undefined }, result: { Template: MediaTemplate }): void {
  if (flags.json) printJson(io, result);
  else printTemplates(io, [result.Template]);
}

/** `ci-media templates create`. */
async function createTemplate(io: CliIo, flags: TemplateBodyFlags): Promise<void> {
  if (flags.input === undefined) {
    const missing = [flags.name === undefined ? '--name' : '', flags.format === undefined ? '--format' : ''].filter(Boolean);
    if (missing.length > 0) throw new UsageError(`missing ${missing.join(' and ')} (or give the body with --input)`);
  }
  const body = applyTemplateFlags((await readTemplateInput(io, flags, 'CreateMediaTemplate')) ?? {}, flags);
  const client = createClient(io, flags);
  printTemplateResult(io, flags, await client.createMediaTemplate(asInput('CreateMediaTemplate', body), callOptions(io)));
}

/** The template as the service has it, reduced to what an UpdateMediaTemplate body can carry. */
async function currentTemplateBody(client: CiMediaClient, io: CliIo, templateId: string): Promise<JsonObject> {
  const page = await client.describeMediaTemplates({ ids: [templateId] }, callOptions(io));
  const template = page.TemplateList.find((t) => t.TemplateId === templateId);
  if (!template) throw new CommandFailure(noSuch('template', [templateId]));
  const parameters = pickKnown(template.TransTpl, shapes.AnimationShape) ?? {};
  return pickKnown({ Tag: template.Tag, Name: template.Name, ...parameters }, shapes.AnimationTemplateRequestShape) ?? {};
}

/** `ci-media templates update`. */
async function updateTemplate(io: CliIo, flags: TemplateBodyFlags, templateId: string): Promise<void> {
  if (templateId.trim() === '') throw new UsageError('the template id must not be empty');
  if (flags.input === undefined && flags.name === undefined && !hasAnimationFlags(flags)) {
    throw new UsageError('nothing to change: give --name, animation flags (--format, --width, …), or the body with --input');
  }
  const fromInput = await readTemplateInput(io, flags, 'UpdateMediaTemplate');
  const client = createClient(io, flags);
  const base = fromInput ?? (await currentTemplateBody(client, io, templateId));
  const body = applyTemplateFlags(base, flags);
  printTemplateResult(
    io,
    flags,
    await client.updateMediaTemplate({ ...asInput('UpdateMediaTemplate', body), templateId }, callOptions(io)),
  );
}

/** `ci-media templates delete`. */
async function deleteTemplate(io: CliIo, flags: ConnectionFlags & { json?: boolean }, templateId: string): Promise<void> {
  if (templateId.trim() === '') throw new UsageError('the template id must not be empty');
  const client = createClient(io, flags);
  const result = await client.deleteMediaTemplate({ templateId }, callOptions(io));
  if (flags.json) printJson(io, result);
  else io.stdout(`Deleted template ${sanitize(result.TemplateId || templateId)}.\n`);
}
