/**
 * The journey's edit of the spec, as a user would make it: an optional response field (`MediaJob.Priority`, an
 * integer), a query parameter on DescribeMediaJobs (`inputObjectPrefix`) and a new GET operation
 * (DescribeMediaWorkflows, `GET /workflow`, with its response document and an example naming its recording).
 * Applied with the `yaml` Document API, so the rest of the file (comments included) stays as it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The journey's files: the recording of the new operation, under its `<OperationId>/<name>.http`. */
export const JOURNEY_DIR = join(__dirname, '../journey');

/** The new operation and its one recording (`specs/recordings/<this>`). */
export const NEW_OPERATION = 'DescribeMediaWorkflows';
export const NEW_RECORDING = `${NEW_OPERATION}/paged.http`;

/** The recorded response body of the new operation (what the spec's example must be). */
function recordedBody(): string {
  const text = readFileSync(join(JOURNEY_DIR, NEW_RECORDING), 'utf8');
  return text.slice(text.indexOf('<Response>')).trim();
}

/** The spec's text with the journey's three additions. Throws when the spec lacks what they attach to. */
export function editSpec(text: string): string {
  const doc = parseDocument(text);
  const need = (path: readonly string[]) => {
    if (!doc.hasIn(path)) throw new Error(`the spec has no ${path.join('.')}: the journey's edit does not apply`);
  };
  need(['components', 'schemas', 'MediaJob', 'properties']);
  need(['paths', '/jobs', 'get', 'parameters']);

  // 1. an optional response field
  doc.setIn(['components', 'schemas', 'MediaJob', 'properties', 'Priority'], {
    type: 'integer',
    minimum: 0,
    description: "The job's priority (journey: an optional response field).",
  });

  // 2. a query parameter of DescribeMediaJobs
  doc.addIn(['paths', '/jobs', 'get', 'parameters'], {
    name: 'inputObjectPrefix',
    in: 'query',
    description: 'Only jobs whose input object starts with this (journey: a new query parameter).',
    schema: { type: 'string' },
  });

  // 3. a new GET operation, its response document and an example that is its recording's body
  doc.setIn(['paths', '/workflow'], {
    get: {
      operationId: NEW_OPERATION,
      tags: ['Jobs'],
      summary: 'Query workflows',
      description: 'Lists the media workflows of the bucket, a page at a time (journey: a new operation).',
      parameters: [
        {
          name: 'ids',
          in: 'query',
          description: 'Workflow ids, sent comma-joined.',
          style: 'form',
          explode: false,
          schema: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string' } },
        },
        { name: 'pageNumber', in: 'query', description: 'Page number, from 1.', schema: { type: 'integer', minimum: 1, default: 1 } },
        {
          name: 'pageSize',
          in: 'query',
          description: 'Workflows per page.',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        },
      ],
      responses: {
        '200': {
          description: 'A page of workflows.',
          content: {
            'application/xml': {
              schema: { $ref: '#/components/schemas/DescribeMediaWorkflowsResponse' },
              examples: { paged: { summary: 'One workflow', 'x-ci-recording': NEW_RECORDING, value: `${recordedBody()}\n` } },
            },
          },
        },
        '400': { $ref: '#/components/responses/Error' },
      },
    },
  });
  doc.setIn(['components', 'schemas', 'DescribeMediaWorkflowsResponse'], {
    type: 'object',
    description: 'A page of workflows (journey).',
    xml: { name: 'Response' },
    properties: {
      RequestId: { type: 'string', description: 'Request id.' },
      TotalCount: { type: 'integer', minimum: 0, description: 'Workflows matching, in all.' },
      PageNumber: { type: 'integer', minimum: 0, description: "This page's number." },
      PageSize: { type: 'integer', minimum: 0, description: 'Workflows per page.' },
      MediaWorkflowList: {
        type: 'array',
        description: 'The workflows of this page.',
        items: { $ref: '#/components/schemas/MediaWorkflow' },
      },
    },
    required: ['MediaWorkflowList'],
  });
  doc.setIn(['components', 'schemas', 'MediaWorkflow'], {
    type: 'object',
    description: 'One workflow (journey).',
    properties: {
      Name: { type: 'string', description: "The workflow's name." },
      WorkflowId: { type: 'string', description: "The workflow's id." },
      State: { type: 'string', description: '`Active` or `Paused`.' },
      CreateTime: { type: 'string', description: 'Creation time.' },
      UpdateTime: { type: 'string', description: 'Last change.' },
      BucketId: { type: 'string', description: 'The bucket.' },
    },
    required: ['WorkflowId'],
  });
  return doc.toString();
}
