/**
 * Template operations: CreateMediaTemplate (POST /template), DescribeMediaTemplates (GET /template),
 * UpdateMediaTemplate (PUT /template/{templateId}), DeleteMediaTemplate (DELETE /template/{templateId}).
 */
import { formatCiTime } from '@cloud-infinite/runtime';
import {
  operationTable,
  shapes,
  type CreateMediaTemplateInput,
  type DeleteMediaTemplateOutput,
  type DescribeMediaTemplatesOutput,
  type MediaTemplate,
  type Animation,
} from '@cloud-infinite/client';
import { CI_OFFSET_MINUTES } from '../constants';
import { invalidArgument, noSuchResource, resourceAccessDenied } from '../errors';
import type { Route, RouteContext, RouteResult } from '../router';
import type { StoredTemplate } from '../store';
import { encodeDocument } from '../xml';
import { checkAnimation, enumParam, integerParam, listParam, onlyParams, pageOf, readBody } from './common';

/** Longest template name, in characters. */
export const MAX_TEMPLATE_NAME = 64;

const TEMPLATE_PARAMS = ['tag', 'category', 'ids', 'name', 'pageNumber', 'pageSize'];

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

const templateDocument = (ctx: RouteContext, template: MediaTemplate): string =>
  encodeDocument({ RequestId: ctx.requestId, Template: template }, shapes.documents.MediaTemplateResponse);

/** The template of the path; 400 `ResourceNotFound` when unknown, `ResourceAccessDenied` when Official. */
function customTemplate(ctx: RouteContext): StoredTemplate {
  const templateId = ctx.params.templateId!;
  const template = ctx.store.getTemplate(templateId);
  if (!template) throw noSuchResource(`The template ${JSON.stringify(templateId)} does not exist.`);
  if (template.Category === 'Official')
    throw resourceAccessDenied(`The template ${templateId} is an Official template; it can not be changed.`);
  return template;
}

/**
 * CreateMediaTemplate: `Tag` Animation, `Name` (1..64 characters), `Container.Format` (gif|hgif|webp) required;
 * `Video` and `TimeInterval` checked against the documented ranges. The new template (`TemplateId` `t1` + 32
 * hex, Category Custom, `BucketId` the service's bucket) is answered with its parameters under `TransTpl`.
 */
export function createMediaTemplate(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'CreateMediaTemplate', []);
  const request = readBody<CreateMediaTemplateInput>(
    ctx,
    shapes.documents.AnimationTemplateRequest,
    operationTable.CreateMediaTemplate.validateInput,
  );
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
  return { body: templateDocument(ctx, template) };
}

/**
 * DescribeMediaTemplates: templates in creation order, filtered by `tag` (Animation), `category` (Custom —
 * the default when no `ids` are given — or Official), `ids` (comma list; unknown ones are listed in
 * `NonExistTIDs`) and `name` (a prefix, case-sensitive), then paged by `pageNumber` (from 1) and `pageSize`
 * (1..100, default 10). `TotalCount` counts every template that matched.
 */
export function describeMediaTemplates(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'DescribeMediaTemplates', TEMPLATE_PARAMS);
  const tag = enumParam(ctx, 'tag', ['Animation'] as const);
  const ids = listParam(ctx.request.query.ids, 'ids');
  const category = enumParam(ctx, 'category', ['Custom', 'Official'] as const) ?? (ids ? undefined : 'Custom');
  const prefix = ctx.request.query.name;
  const pageNumber = integerParam(ctx, 'pageNumber', 1, 1_000_000, 1);
  const pageSize = integerParam(ctx, 'pageSize', 1, 100, 10);

  let templates = ctx.store.listTemplates();
  const missing: string[] = [];
  if (ids) {
    const byId = new Map(templates.map((t) => [t.TemplateId, t]));
    templates = [];
    for (const id of new Set(ids)) {
      const template = byId.get(id);
      if (template) templates.push(template);
      else missing.push(id);
    }
  }
  templates = templates.filter(
    (t) =>
      (tag === undefined || t.Tag === tag) &&
      (category === undefined || t.Category === category) &&
      (prefix === undefined || (t.Name ?? '').startsWith(prefix)),
  );
  const output: DescribeMediaTemplatesOutput = {
    RequestId: ctx.requestId,
    TotalCount: templates.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    TemplateList: pageOf(templates, pageNumber, pageSize),
  };
  if (missing.length) output.NonExistTIDs = missing;
  return { body: encodeDocument(output, shapes.documents.DescribeMediaTemplatesResponse) };
}

/**
 * UpdateMediaTemplate: replaces a Custom template's `Name` and parameters (the body of CreateMediaTemplate);
 * `UpdateTime` becomes now. Unknown: 400 `ResourceNotFound`; Official: 400 `ResourceAccessDenied`.
 */
export function updateMediaTemplate(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'UpdateMediaTemplate', []);
  const templateId = ctx.params.templateId!;
  const request = readBody<CreateMediaTemplateInput>(
    ctx,
    shapes.documents.AnimationTemplateRequest,
    operationTable.UpdateMediaTemplate.validateInput,
    {
      templateId,
    },
  );
  customTemplate(ctx);
  const parameters = parametersOf(request);
  const template = ctx.store.updateTemplate(templateId, (t) => ({
    ...t,
    Name: request.Name,
    Tag: request.Tag,
    TransTpl: parameters,
    UpdateTime: formatCiTime(new Date(ctx.nowMs), CI_OFFSET_MINUTES),
  }));
  return { body: templateDocument(ctx, template) };
}

/**
 * DeleteMediaTemplate: deletes a Custom template (jobs that used it keep its id and name). Unknown: 400
 * `ResourceNotFound`; Official: 400 `ResourceAccessDenied`.
 */
export function deleteMediaTemplate(ctx: RouteContext): RouteResult {
  onlyParams(ctx, 'DeleteMediaTemplate', []);
  const { TemplateId } = customTemplate(ctx);
  ctx.store.deleteTemplate(TemplateId);
  const output: DeleteMediaTemplateOutput = { RequestId: ctx.requestId, TemplateId };
  return { body: encodeDocument(output, shapes.documents.DeleteMediaTemplateResponse) };
}

/** The template routes. */
export const templateRoutes: readonly Route[] = [
  { operationId: 'CreateMediaTemplate', method: 'POST', path: '/template', handler: createMediaTemplate },
  { operationId: 'DescribeMediaTemplates', method: 'GET', path: '/template', handler: describeMediaTemplates },
  { operationId: 'UpdateMediaTemplate', method: 'PUT', path: '/template/{templateId}', handler: updateMediaTemplate },
  { operationId: 'DeleteMediaTemplate', method: 'DELETE', path: '/template/{templateId}', handler: deleteMediaTemplate },
];
