// The SPL engine on its own: a table of statements over fixed log groups with the exact rows each
// keeps (where, extend, project*, parse-*, NULLs, casts, unicode, group metadata), the counts, and
// statements refused with the reason and the line and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLogGroupList, decodeLogGroupListFast, encodeLogGroupList, type LogGroup } from '../../src/codec/index.js';
import { compileSpl, parseSpl, runSpl, SplError } from '../../src/spl/index.js';
import { rngFor, splInput } from '../../fuzz/inputs.js';
import { propertySeed } from '../helpers/fastCheck.js';

const log = (time: number, fields: Record<string, string>) => ({
  time,
  contents: Object.entries(fields).map(([key, value]) => ({ key, value })),
});

const GROUPS: LogGroup[] = [
  {
    topic: 'nginx',
    source: '10.0.0.1',
    logTags: [{ key: 'host', value: 'web-1' }],
    logs: [
      log(100, { status: '500', method: 'GET', uri: '/a?x=1', latency: '0.25', body: '{"user":"ann","n":3,"ok":true}' }),
      log(101, { status: '200', method: 'POST', uri: '/b', latency: '1.5', body: 'not json' }),
      log(102, { status: '404', method: 'GET', uri: '/ünï', latency: 'n/a', csv: 'a,"b,c",d' }),
    ],
  },
  {
    topic: 'api',
    logTags: [],
    logs: [log(103, { status: '503', method: 'DELETE', uri: '/c', latency: '12', line: '10.1.2.3 - GET /x 200' })],
  },
];
const BYTES = Buffer.from(encodeLogGroupList(GROUPS));

function run(spl: string) {
  const r = runSpl(compileSpl(parseSpl(spl)), decodeLogGroupListFast(BYTES));
  const out = decodeLogGroupList(r.body);
  return {
    rows: out.flatMap((g) => g.logs.map((l) => Object.fromEntries(l.contents.map((c) => [c.key, c.value])))),
    groups: out,
    counts: [r.rawLines, r.resultLines, r.failedLines],
  };
}

const statuses = (spl: string) => run(spl).rows.map((r) => r.status);

const CASES: [string, string[] | Record<string, string>[]][] = [
  ["* | where status = '500'", ['500']],
  ["* | where status <> '500' and method = 'GET'", ['404']],
  ["* | where status like '5%'", ['500', '503']],
  ["* | where status not like '5%'", ['200', '404']],
  ["* | where status in ('200', '404')", ['200', '404']],
  ["* | where status not in ('200', '404')", ['500', '503']],
  ['* | where cast(status as bigint) between 400 and 500', ['500', '404']],
  ["* | where cast(status as bigint) >= 500 or uri = '/b'", ['500', '200', '503']],
  ['* | where status > 450', ['500', '503']], // text against a number: compared as numbers
  ['* | where cast(latency as double) > 1.0', ['200', '503']], // 'n/a' fails the cast: the row is dropped and counted
  ["* | where missing is null and status = '200'", ['200']],
  ['* | where csv is not null', ['404']],
  ["* | where not (method = 'GET')", ['200', '503']],
  ["* | where regexp_like(uri, '^/[ab]')", ['500', '200']],
  ["* | where __topic__ = 'api'", ['503']],
  ["* | where \"__tag__:host\" = 'web-1' and __source__ = '10.0.0.1'", ['500', '200', '404']],
  ['* | where __time__ >= 102', ['404', '503']],
  ["* | where length(uri) = 4 and strpos(uri, 'ü') = 2", ['404']],
  ["* | where lower(method) = 'get' and upper('x') = 'X'", ['500', '404']],
  ["* | where coalesce(csv, line, 'none') = 'none'", ['500', '200']],
  ["* | where if(method = 'GET', 'g', 'o') = 'o'", ['200', '503']],
  ["* | where case when status = '200' then 'ok' when status like '5%' then 'bad' else 'other' end = 'bad'", ['500', '503']],
  ["* | where case method when 'POST' then true else false end", ['200']],
  ['* | where cast(status as bigint) % 100 = 0 and cast(status as bigint) / 100 = 2', ['200']],
  ["* | where status = '500' | project status, method", [{ status: '500', method: 'GET' }]],
  ["* | where status = '500' | project-away body, latency, uri", [{ status: '500', method: 'GET' }]],
  ['* | where status = \'200\' | project -wildcard "me*", code=status', [{ method: 'POST', code: '200' }]],
  ["* | where status = '200' | project-rename code=status | project code, method", [{ code: '200', method: 'POST' }]],
  [
    "* | where status = '500' | extend kind = 'err', ms = cast(latency as double) * 1000, n = cast(status as bigint) + 1, t = concat(method, ' ', uri) | project kind, ms, n, t",
    [{ kind: 'err', ms: '250.0', n: '501', t: 'GET /a?x=1' }],
  ],
  [
    "* | where status = '200' | extend status = null, x = substr(uri, 2), y = split_part('a-b-c', '-', 2), z = replace(uri, '/', '|') | project -wildcard \"*\"",
    [{ method: 'POST', uri: '/b', latency: '1.5', body: 'not json', x: 'b', y: 'b', z: '|b' }],
  ],
  ["* | where status = '500' | parse-json body | project user, n, ok", [{ user: 'ann', n: '3', ok: 'true' }]],
  [
    '* | where status = \'500\' | parse-json -prefix=\'j_\' body | project-away -wildcard "j_n*" | project -wildcard "j_*"',
    [{ j_user: 'ann', j_ok: 'true' }],
  ],
  ["* | where status = '200' | parse-json body | project status, user", [{ status: '200' }]], // not JSON: unchanged
  ['* | where csv is not null | parse-csv csv as c1, c2, c3 | project c1, c2, c3', [{ c1: 'a', c2: 'b,c', c3: 'd' }]],
  [
    "* | where line is not null | parse-regexp line, '(\\S+) - (\\w+) (\\S+) (\\d+)' as ip, verb, path, code | project ip, verb, path, code",
    [{ ip: '10.1.2.3', verb: 'GET', path: '/x', code: '200' }],
  ],
  ["* | where line is not null | parse-regexp line, '(?P<ip>[\\d.]+)' | project ip", [{ ip: '10.1.2.3' }]],
  ["* | extend j = json_extract_scalar(body, '$.user') | where j = 'ann' | project j", [{ j: 'ann' }]],
  ["* | extend r = regexp_extract(uri, '/(\\w+)', 1) | where r is not null | project r", [{ r: 'a' }, { r: 'b' }, { r: 'c' }]],
  ["-- a comment\n* /* all */ | where status = '404' -- trailing\n | project uri;", [{ uri: '/ünï' }]],
];

for (const [spl, expected] of CASES)
  test(`SPL ${spl.replace(/\s+/g, ' ')}`, () => {
    const got = typeof expected[0] === 'string' ? statuses(spl) : run(spl).rows;
    assert.deepEqual(got, expected);
  });

test('counts: lines scanned, kept and failed; a failed cast drops only its row', () => {
  assert.deepEqual(run('* | where cast(latency as double) > 1.0').counts, [4, 2, 1]);
  assert.deepEqual(run("* | where status = 'none'").counts, [4, 0, 0]);
});

test('group metadata stays: topic, source, tags and time per group; a group left empty is dropped; an unchanged group is its own bytes', () => {
  const r = run("* | where status = '503' or status = '500' | project status");
  assert.deepEqual(
    r.groups.map((g) => [g.topic, g.source, g.logTags, g.logs.map((l) => l.time)]),
    [
      ['nginx', '10.0.0.1', [{ key: 'host', value: 'web-1' }], [100]],
      ['api', undefined, [], [103]],
    ],
  );
  const whole = runSpl(compileSpl(parseSpl("* | where method <> 'PUT'")), decodeLogGroupListFast(BYTES));
  assert.ok(whole.body.equals(BYTES), 'every row kept unchanged: the same bytes');
});

const REFUSED: [string, RegExp][] = [
  [
    '* | stats count(*)',
    /^SPL: unsupported instruction 'stats' \(supported: where, extend, project, project-away, project-rename, parse-regexp, parse-json, parse-csv\) at line 1, column 5$/,
  ],
  ["* | where foo(status) = '1'", /^SPL: unsupported function 'foo' \(docs\/spl\.md lists the supported ones\) at line 1, column 11$/],
  ["* | where status = '500", /^SPL: unterminated string at line 1, column 20$/],
  ['* | where', /^SPL: expected an expression, found the end at line 1, column 10$/],
  ["status = '1'", /^SPL: an SPL statement starts with '\*' \(the logstore's data\), found 'status' at line 1, column 1$/],
  ['* | where a = 1\n  | extend = 2', /^SPL: expected the field to set, found '=' at line 2, column 12$/],
  ["* | extend __topic__ = 'x'", /^SPL: __topic__ is group metadata and read-only here$/],
  [
    '* | where cast(a as date) = 1',
    /^SPL: unsupported type 'date' in CAST \(supported: bigint, double, varchar, boolean\) at line 1, column 21$/,
  ],
  ['* | where substr(a) = 1', /^SPL: substr\(\) takes 2 to 3 argument\(s\), got 1 at line 1, column 11$/],
  ['* | project -wild a', /^SPL: unknown option -wild \(here: -wildcard\) at line 1, column 14$/],
  ["* | parse-regexp a, '(' as x", /^SPL: bad regular expression: .* at line 1, column 21$/],
  ['* | where a = 1 b', /^SPL: expected '\|' or the end, found 'b' at line 1, column 17$/],
  ['* | where a = #', /^SPL: unexpected character "#" at line 1, column 15$/],
  [`* ${'| where a = 1 '.repeat(17)}`, /^SPL: more than 16 instructions at line 1, column 229$/],
  [`* | where a = '${'x'.repeat(11_000)}'`, /^SPL: the statement is 11016 characters; at most 10240$/],
];

for (const [spl, reason] of REFUSED)
  test(`SPL refused: ${spl.slice(0, 60).replace(/\s+/g, ' ')}`, () => {
    assert.throws(
      () => compileSpl(parseSpl(spl)),
      (e: unknown) => e instanceof SplError && e.code === 'InvalidArgument' && reason.test(e.message),
    );
  });

test('5,000 mutated statements (the fuzz target, fixed seed): each runs or is refused with SplError, never another error', () => {
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const src = splInput(rngFor(propertySeed, 'spl', i));
    let compiled;
    try {
      compiled = compileSpl(parseSpl(src));
    } catch (e) {
      assert.ok(e instanceof SplError, `${JSON.stringify(src)} threw ${(e as Error).name}: ${(e as Error).message}`);
      continue;
    }
    runSpl(compiled, decodeLogGroupListFast(BYTES));
    accepted++;
  }
  assert.ok(accepted > 500, `${accepted} of 5000 ran`);
});
