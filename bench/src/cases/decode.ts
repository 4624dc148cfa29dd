/**
 * decode: one DescribeMediaJobs page of 100 jobs (src/fixture.ts), from the response bytes to a result, every
 * subject in the same process on the same bytes (UTF-8 decoding included).
 *
 * - ours, end to end: `CiMediaClient.describeMediaJobs` with a stub `fetch` answering the bytes — build and sign
 *   the request, read the body, decode with the single-pass reader (shaping and checking in the same pass), in the
 *   default `validateResponses` mode;
 * - ours, decode only: `decodeDocument` (the single-pass reader), and the same with the fast-xml-parser fallback
 *   (`reader: 'fallback'`: its oracle, and what a document outside the subset costs);
 * - the official SDK's work for the same call: cos-nodejs-sdk-v5's `sdk/util.xml2json` (its fork of
 *   fast-xml-parser, then its text-node clean-up: no shaping, no types) plus `COS.getAuthorization` for the
 *   request; and xml2json alone;
 * - references for the physical limit: txml's `parse` (a small DOM parser), and a minimal tokenizer that only
 *   walks the tags (indexOf `<`, reads each name) and builds nothing;
 * - bare fast-xml-parser v4 and v5.
 *
 * Targets (not enforced in CI: timings vary): the whole call ≥ 3× xml2json + getAuthorization; a 1,000-job page
 * costs ≤ 11× a 100-job page (linear cost).
 */
import { XMLParser as XMLParser4, type X2jOptions } from 'fast-xml-parser';
import { XMLParser as XMLParser5 } from 'fast-xml-parser-v5';
import { CiMediaClient, shapes } from '@cloud-infinite/client';
import { decodeDocument, type DocumentShape } from '@cloud-infinite/runtime';
import { buildJobsPage } from '../fixture';
import { measure, type Measured, type Ratio, type Subject } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cosUtil = require('cos-nodejs-sdk-v5/sdk/util') as { xml2json(body: string): Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const COS = require('cos-nodejs-sdk-v5') as { getAuthorization(options: Record<string, unknown>): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const txml = require('txml') as { parse(xml: string): unknown };

/** fast-xml-parser options like the fallback's, for the bare parses. */
const FXP_OPTIONS: X2jOptions = {
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  preserveOrder: true,
};

export const ENDPOINT = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com';
export const CREDENTIALS = { secretId: 'AKIDbenchmark00000000000000000000000', secretKey: 'benchmarksecretkey00000000000000' };
export const QUERY = { queueId: 'p893bcda225bf4945a378da6662e81a89', tag: 'Animation', size: 100 } as const;

export interface DecodeCase {
  readonly fixture: { bytes: number; jobs: number; withMediaInfo: number; pretty: boolean };
  readonly results: Map<string, Measured>;
  readonly ratios: Ratio[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A fetch that answers every request with `bytes`, as CI would (status 200, XML). */
export function stubFetch(bytes: Uint8Array<ArrayBuffer>): typeof fetch {
  return async () =>
    new Response(bytes, {
      status: 200,
      headers: { 'content-type': 'application/xml', 'x-ci-request-id': 'NjQwZjY3YmRfYmVuY2g=' },
    });
}

/** What the official SDK does for the same call: sign the request, decode the answer. */
function cosCall(bytes: Uint8Array): unknown {
  COS.getAuthorization({
    SecretId: CREDENTIALS.secretId,
    SecretKey: CREDENTIALS.secretKey,
    Method: 'get',
    Pathname: '/jobs',
    Query: { queueId: QUERY.queueId, tag: QUERY.tag, size: String(QUERY.size) },
    Headers: { host: 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com' },
  });
  return cosUtil.xml2json(utf8.decode(bytes));
}

/** The least any reader must do: find every tag and read its name. Builds nothing. */
export function minimalTokenizer(text: string): number {
  let count = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    let j = i + 1;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 62 /* > */ || c === 32 || c === 47 /* / */) break;
      j++;
    }
    count += j - i;
    i = text.indexOf('<', j);
  }
  return count;
}

export const CLIENT = 'ours: client.describeMediaJobs (sign, fetch stub, read, decode + check)';
const OFFICIAL = 'cos-nodejs-sdk-v5: getAuthorization + xml2json';
const DECODE = 'ours: decodeDocument (single-pass reader)';
const FALLBACK = 'ours: decodeDocument, fast-xml-parser fallback';
const XML2JSON = 'cos-nodejs-sdk-v5 xml2json';
const TXML = 'txml parse (reference)';
const TOKENIZER = 'minimal tokenizer (reference: tags only, builds nothing)';

function subjects(bytes: Uint8Array<ArrayBuffer>, full: boolean): Subject[] {
  const doc = (shapes.documents as Record<string, DocumentShape>).DescribeMediaJobsResponse!;
  const client = new CiMediaClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: stubFetch(bytes) });
  const v4 = new XMLParser4(FXP_OPTIONS);
  const v5 = new XMLParser5(FXP_OPTIONS as never);
  const list: Subject[] = [
    { name: CLIENT, fn: () => client.describeMediaJobs(QUERY) },
    { name: OFFICIAL, fn: () => cosCall(bytes) },
    { name: DECODE, fn: () => decodeDocument(utf8.decode(bytes), doc) },
    { name: XML2JSON, fn: () => cosUtil.xml2json(utf8.decode(bytes)) },
    { name: TXML, fn: () => txml.parse(utf8.decode(bytes)) },
    { name: TOKENIZER, fn: () => minimalTokenizer(utf8.decode(bytes)) },
    { name: FALLBACK, fn: () => decodeDocument(utf8.decode(bytes), doc, { reader: 'fallback' }) },
  ];
  if (full) {
    list.push(
      { name: 'fast-xml-parser v4 parse (preserveOrder)', fn: () => v4.parse(utf8.decode(bytes)) },
      { name: 'fast-xml-parser v5 parse (preserveOrder)', fn: () => v5.parse(utf8.decode(bytes)) },
    );
  }
  return list;
}

/** Decodes once with the subjects that build something and checks they agree, before anything is timed. */
async function sanityCheck(bytes: Uint8Array<ArrayBuffer>, jobs: number): Promise<void> {
  const strict = new CiMediaClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: stubFetch(bytes), validateResponses: 'strict' });
  const page = await strict.describeMediaJobs(QUERY); // throws CiValidationError if the fixture broke the spec
  const doc = (shapes.documents as Record<string, DocumentShape>).DescribeMediaJobsResponse!;
  const text = utf8.decode(bytes);
  const sdk = (cosUtil.xml2json(text).Response as { JobsDetail: unknown[] }).JobsDetail;
  if (page.JobsDetail.length !== jobs || sdk.length !== jobs)
    throw new Error(`decode: ${page.JobsDetail.length} jobs, the SDK sees ${sdk.length}`);
  const reader = JSON.stringify(decodeDocument(text, doc).value);
  if (reader !== JSON.stringify(decodeDocument(text, doc, { reader: 'fallback' }).value))
    throw new Error('decode: the two readers disagree');
}

export async function runDecode(quick: boolean): Promise<DecodeCase> {
  const xml = buildJobsPage();
  const bytes = new TextEncoder().encode(xml);
  await sanityCheck(bytes, 100);
  const results = await measure(subjects(bytes, !quick), { quick });
  const get = (name: string) => results.get(name)!;
  const client = get(CLIENT);

  // linear cost: the same call on a 1,000-job page (ten times the bytes)
  const big = new TextEncoder().encode(buildJobsPage({ jobs: 1000 }));
  await sanityCheck(big, 1000);
  const bigClient = new CiMediaClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, fetch: stubFetch(big) });
  const bigResults = await measure([{ name: `${CLIENT}, 1,000 jobs`, fn: () => bigClient.describeMediaJobs({ ...QUERY }) }], { quick });
  const bigMeasured = bigResults.get(`${CLIENT}, 1,000 jobs`)!;
  results.set(bigMeasured.name, bigMeasured);

  const ratios: Ratio[] = [
    {
      case: 'decode',
      what: 'client.describeMediaJobs ÷ (cos-nodejs-sdk-v5 getAuthorization + xml2json), 100 jobs (throughput)',
      value: client.opsPerSec / get(OFFICIAL).opsPerSec,
      target: 3,
      direction: '>=',
      unit: '×',
      enforced: false,
    },
    {
      case: 'decode',
      what: 'client.describeMediaJobs on 1,000 jobs ÷ on 100 jobs (time)',
      value: bigMeasured.medianMs / client.medianMs,
      target: 11,
      direction: '<=',
      unit: '×',
      enforced: false,
      note: 'the page is 10× the bytes: linear cost is ≈ 10×',
    },
    {
      case: 'decode',
      what: 'decodeDocument (single-pass) ÷ xml2json (throughput)',
      value: get(DECODE).opsPerSec / get(XML2JSON).opsPerSec,
      target: 3,
      direction: '>=',
      unit: '×',
      enforced: false,
      note: 'informational',
    },
    {
      case: 'decode',
      what: 'decodeDocument (single-pass) ÷ txml parse (throughput)',
      value: get(DECODE).opsPerSec / get(TXML).opsPerSec,
      target: 1,
      direction: '>=',
      unit: '×',
      enforced: false,
      note: 'informational: txml builds an untyped DOM, we build the typed result',
    },
    {
      case: 'decode',
      what: 'decodeDocument (single-pass) ÷ minimal tokenizer (throughput: the share of the physical limit reached)',
      value: get(DECODE).opsPerSec / get(TOKENIZER).opsPerSec,
      target: 0.25,
      direction: '>=',
      unit: '×',
      enforced: false,
      note: 'informational',
    },
    {
      case: 'decode',
      what: 'single-pass reader ÷ fast-xml-parser fallback (throughput)',
      value: get(DECODE).opsPerSec / get(FALLBACK).opsPerSec,
      target: 1,
      direction: '>=',
      unit: '×',
      enforced: false,
      note: 'informational: the fallback reads what is outside the subset',
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
  await sanityCheck(bytes, 100);
  const all = subjects(bytes, false);
  const keep = new Set([CLIENT, OFFICIAL, XML2JSON, DECODE]);
  const results = await measure(
    all.filter((s) => keep.has(s.name)),
    { quick: false },
  );
  return { bytes: bytes.byteLength, results };
}
