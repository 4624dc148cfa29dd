/**
 * decode: one DescribeMediaJobs page of 100 jobs (src/fixture.ts), from the response bytes to a result.
 *
 * - ours, end to end: `CiMediaClient.describeMediaJobs` with a stub `fetch` answering the bytes — sign, build
 *   the request, read the body, decode, shape, validate (`warn`);
 * - ours, decode only: `decodeXml` + the generated validator (no transport), and the read alone
 *   (`parseDocument`: XMLValidator + fast-xml-parser v4), to split reading from shaping + validation;
 * - the official SDK: cos-nodejs-sdk-v5's own decoding (`sdk/util.xml2json`: its fork of fast-xml-parser
 *   4.5.6, then its text-node clean-up) — no shaping, no validation;
 * - bare fast-xml-parser v4 (the runtime's) and v5, with the runtime's options and with their defaults.
 *
 * Every subject starts from the same bytes (UTF-8 decoding included).
 */
import { XMLParser as XMLParser4, type X2jOptions } from 'fast-xml-parser';
import { XMLParser as XMLParser5 } from 'fast-xml-parser-v5';
import { CiMediaClient, shapes } from '@cloud-infinite/client';
import { decodeDocument, decodeXml, parseDocument, type DocumentShape } from '@cloud-infinite/runtime';
import { buildJobsPage } from '../fixture';
import { measure, type Measured, type Ratio, type Subject } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cosUtil = require('cos-nodejs-sdk-v5/sdk/util') as { xml2json(body: string): Record<string, unknown> };

/** The runtime's fast-xml-parser options (packages/runtime/src/xml/decode.ts). */
const RUNTIME_OPTIONS: X2jOptions = {
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: () => true,
};

export const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';
export const CREDENTIALS = { secretId: 'AKIDbenchmark00000000000000000000000', secretKey: 'benchmarksecretkey00000000000000' };
export const QUERY = { queueId: 'p893bcda225bf4945a378da6662e81a89', tag: 'Animation', size: 100 } as const;

export interface DecodeCase {
  readonly fixture: { bytes: number; jobs: number; withMediaInfo: number; pretty: boolean };
  readonly results: Map<string, Measured>;
  readonly ratios: Ratio[];
}

const utf8 = new TextDecoder('utf-8');

/** A fetch that answers every request with `bytes`, as CI would (status 200, XML). */
export function stubFetch(bytes: Uint8Array<ArrayBuffer>): typeof fetch {
  return async () =>
    new Response(bytes, {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-ci-request-id': 'NjQwZjY3YmRfYmVuY2g=' },
    });
}

function subjects(bytes: Uint8Array<ArrayBuffer>, full: boolean): Subject[] {
  const doc = (shapes.documents as Record<string, DocumentShape>).DescribeMediaJobsResponse!;
  const client = new CiMediaClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: stubFetch(bytes), validateResponses: 'warn' });
  const v4 = new XMLParser4(RUNTIME_OPTIONS);
  const v5 = new XMLParser5(RUNTIME_OPTIONS as never);
  const v4d = new XMLParser4();
  const v5d = new XMLParser5();
  const list: Subject[] = [
    { name: 'ours: client.describeMediaJobs (sign+fetch+decode+validate)', fn: () => client.describeMediaJobs(QUERY) },
    { name: 'ours: decodeDocument (read, shape and check in one pass)', fn: () => decodeDocument(utf8.decode(bytes), doc) },
    { name: 'ours: read only (parseDocument)', fn: () => parseDocument(utf8.decode(bytes)) },
    { name: 'cos-nodejs-sdk-v5 xml2json', fn: () => cosUtil.xml2json(utf8.decode(bytes)) },
    { name: 'fast-xml-parser v4 parse (runtime options)', fn: () => v4.parse(utf8.decode(bytes)) },
    { name: 'fast-xml-parser v5 parse (runtime options)', fn: () => v5.parse(utf8.decode(bytes)) },
  ];
  if (full) {
    list.push(
      { name: 'fast-xml-parser v4 parse (defaults)', fn: () => v4d.parse(utf8.decode(bytes)) },
      { name: 'fast-xml-parser v5 parse (defaults)', fn: () => v5d.parse(utf8.decode(bytes)) },
    );
  }
  return list;
}

/** Decodes once with every subject and checks they agree, before anything is timed. */
async function sanityCheck(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const strict = new CiMediaClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: stubFetch(bytes), validateResponses: 'strict' });
  const page = await strict.describeMediaJobs(QUERY); // throws CiValidationError if the fixture broke the spec
  const doc = (shapes.documents as Record<string, DocumentShape>).DescribeMediaJobsResponse!;
  const text = utf8.decode(bytes);
  const jobs = (cosUtil.xml2json(text).Response as { JobsDetail: unknown[] }).JobsDetail;
  if (page.JobsDetail.length !== jobs.length) throw new Error(`decode: ${page.JobsDetail.length} jobs, the SDK sees ${jobs.length}`);
  if ((decodeXml(text, doc).JobsDetail as unknown[]).length !== jobs.length) throw new Error('decode: decodeXml disagrees with the SDK');
}

const CLIENT = 'ours: client.describeMediaJobs (sign+fetch+decode+validate)';

export async function runDecode(quick: boolean): Promise<DecodeCase> {
  const xml = buildJobsPage();
  const bytes = new TextEncoder().encode(xml);
  await sanityCheck(bytes);
  const results = await measure(subjects(bytes, !quick), { quick });
  const get = (name: string) => results.get(name)!;
  const client = get(CLIENT);
  const ratios: Ratio[] = [
    {
      case: 'decode',
      what: 'client.describeMediaJobs ÷ cos-nodejs-sdk-v5 xml2json (throughput)',
      value: client.opsPerSec / get('cos-nodejs-sdk-v5 xml2json').opsPerSec,
      target: 1.0,
      direction: '>=',
      unit: '×',
      enforced: false,
    },
    {
      case: 'decode',
      what: 'overhead of the whole client call over a bare fast-xml-parser v4 parse (time)',
      value:
        (100 * (client.medianMs - get('fast-xml-parser v4 parse (runtime options)').medianMs)) /
        get('fast-xml-parser v4 parse (runtime options)').medianMs,
      target: 25,
      direction: '<=',
      unit: '%',
      enforced: false,
      note: 'includes the well-formedness pass (XMLValidator) the bare parse skips',
    },
    {
      case: 'decode',
      what: 'shaping + validation over our own read (XMLValidator + fxp v4): (decodeXml + validate) vs parseDocument (time)',
      value:
        (100 * (get('ours: decodeXml + validate').medianMs - get('ours: read only (parseDocument)').medianMs)) /
        get('ours: read only (parseDocument)').medianMs,
      target: 25,
      direction: '<=',
      unit: '%',
      enforced: false,
      note: 'the target read as: the cost of shaping + validation over the read they start from',
    },
    {
      case: 'decode',
      what: 'fast-xml-parser v5 ÷ v4, runtime options (throughput)',
      value: get('fast-xml-parser v5 parse (runtime options)').opsPerSec / get('fast-xml-parser v4 parse (runtime options)').opsPerSec,
      target: 1,
      direction: '>=',
      unit: '×',
      enforced: false,
      note: 'informational: below 1 means v5 is slower',
    },
  ];
  return {
    fixture: { bytes: bytes.byteLength, jobs: 100, withMediaInfo: (xml.match(/<MediaInfo>/g) ?? []).length, pretty: false },
    results,
    ratios,
  };
}

/** The pretty-printed page (full mode): how much whitespace costs each reader. */
export async function runDecodePretty(): Promise<{ bytes: number; results: Map<string, Measured> }> {
  const bytes = new TextEncoder().encode(buildJobsPage({ pretty: true }));
  await sanityCheck(bytes);
  const all = subjects(bytes, false);
  const keep = new Set([CLIENT, 'cos-nodejs-sdk-v5 xml2json', 'fast-xml-parser v4 parse (runtime options)']);
  const results = await measure(
    all.filter((s) => keep.has(s.name)),
    { quick: false },
  );
  return { bytes: bytes.byteLength, results };
}
