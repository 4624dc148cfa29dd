/**
 * The behaviour of the template operations: CreateMediaTemplate, DescribeMediaTemplates, UpdateMediaTemplate and
 * DeleteMediaTemplate. Parameters, bodies and their validation come from the generated operation table
 * (`../operations.ts`); the Animation ranges and the Official templates' protection are checked here.
 */
import { formatCiTime } from '@cloud-infinite/runtime';
import type { Animation, CreateMediaTemplateInput, DescribeMediaTemplatesOutput } from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from '../constants';
import { invalidArgument, noSuchResource, resourceAccessDenied } from '../errors';
import type { RouteContext } from '../router';
import type { StoredTemplate } from '../store';
import { checkAnimation, pageOf, pickByIds } from './checks';
import type { Behaviours } from './types';

/** Longest template name, in characters. */
export const MAX_TEMPLATE_NAME = 64;

/** The Animation parameters of a Create/Update body (they sit at the `<Request>` level), checked. */
function parametersOf(request: CreateMediaTemplateInput): Animation {
  if (request.Name.trim() === '') throw invalidArgument('Name must not be empty.');
  if ([...request.Name].length > MAX_TEMPLATE_NAME) throw invalidArgument(`Name must be at most ${MAX_TEMPLATE_NAME} characters.`);
  const animation: Animation = { Container: request.Container };
  if (request.Video) animation.Video = request.Video;
  if (request.TimeInterval) animation.TimeInterval = request.TimeInterval;
  checkAnimation(animation, 'Request');
  return animation;
}

/** The template of the path; 400 `ResourceNotFound` when unknown, `ResourceAccessDenied` when Official. */
function customTemplate(ctx: RouteContext, templateId: string): StoredTemplate {
  const template = ctx.store.getTemplate(templateId);
  if (!template) throw noSuchResource(`The template ${JSON.stringify(templateId)} does not exist.`);
  if (template.Category === 'Official')
    throw resourceAccessDenied(`The template ${templateId} is an Official template; it can not be changed.`);
  return template;
}

/**
 * CreateMediaTemplate: `Name` not blank and at most 64 characters, `Video` and `TimeInterval` within the
 * documented ranges. The new template (`TemplateId` `t1` + 32 hex, Category Custom, `BucketId` the service's
 * bucket) is answered with its parameters under `TransTpl`.
 */
const createMediaTemplate: Behaviours['CreateMediaTemplate'] = (ctx, request) => {
  const now = formatCiTime(new Date(ctx.nowMs), CI_OFFSET_MINUTES);
  const template = ctx.store.addTemplate({
    TemplateId: ctx.ids.templateId(),
    Name: request.Name,
    Tag: request.Tag,
    Category: 'Custom',
    BucketId: ctx.bucket,
    CreateTime: now,
    UpdateTime: now,
    TransTpl: parametersOf(request),
  });
  return { RequestId: ctx.requestId, Template: template };
};

/**
 * DescribeMediaTemplates: templates in creation order, those of `ids` only when given (unknown ones are listed in
 * `NonExistTIDs`), filtered by `tag` (All lists every tag), `category` (Custom — the default when no `ids` are
 * given — or Official) and `name` (a prefix, case-sensitive), then paged by `pageNumber` (from 1) and `pageSize`
 * (default 10). `TotalCount` counts every template that matched.
 */
const describeMediaTemplates: Behaviours['DescribeMediaTemplates'] = (ctx, input) => {
  let templates = ctx.store.listTemplates();
  let missing: string[] = [];
  if (input.ids) ({ found: templates, missing } = pickByIds(templates, (t) => t.TemplateId, input.ids));
  const tag = input.tag === 'All' ? undefined : input.tag;
  const category = input.category ?? (input.ids ? undefined : 'Custom');
  const prefix = input.name;
  templates = templates.filter(
    (t) =>
      (tag === undefined || t.Tag === tag) &&
      (category === undefined || t.Category === category) &&
      (prefix === undefined || (t.Name ?? '').startsWith(prefix)),
  );
  const pageNumber = input.pageNumber ?? 1;
  const pageSize = input.pageSize ?? 10;
  const output: DescribeMediaTemplatesOutput = {
    RequestId: ctx.requestId,
    TotalCount: templates.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    TemplateList: pageOf(templates, pageNumber, pageSize),
  };
  if (missing.length) output.NonExistTIDs = missing;
  return output;
};

/**
 * UpdateMediaTemplate: replaces a Custom template's `Name` and parameters (the body of CreateMediaTemplate);
 * `UpdateTime` becomes now. Unknown: 400 `ResourceNotFound`; Official: 400 `ResourceAccessDenied`.
 */
const updateMediaTemplate: Behaviours['UpdateMediaTemplate'] = (ctx, { templateId, ...request }) => {
  customTemplate(ctx, templateId);
  const parameters = parametersOf(request);
  const template = ctx.store.updateTemplate(templateId, (t) => ({
    ...t,
    Name: request.Name,
    Tag: request.Tag,
    TransTpl: parameters,
    UpdateTime: formatCiTime(new Date(ctx.nowMs), CI_OFFSET_MINUTES),
  }));
  return { RequestId: ctx.requestId, Template: template };
};

/**
 * DeleteMediaTemplate: deletes a Custom template (jobs that used it keep its id and name). Unknown: 400
 * `ResourceNotFound`; Official: 400 `ResourceAccessDenied`.
 */
const deleteMediaTemplate: Behaviours['DeleteMediaTemplate'] = (ctx, input) => {
  const { TemplateId } = customTemplate(ctx, input.templateId);
  ctx.store.deleteTemplate(TemplateId);
  return { RequestId: ctx.requestId, TemplateId };
};

/** The behaviour of the template operations, by operationId. */
export const templateBehaviours: Behaviours = {
  CreateMediaTemplate: createMediaTemplate,
  DescribeMediaTemplates: describeMediaTemplates,
  UpdateMediaTemplate: updateMediaTemplate,
  DeleteMediaTemplate: deleteMediaTemplate,
};
