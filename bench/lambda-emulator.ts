/**
 * Cold start of the built Lambda bundle as Lambda runs it: AWS's runtime interface client against the
 * Runtime API emulator of test/support/lambda-runtime.ts, the model read from an S3-protocol server
 * through its manifest, and from a file. Per run: a fresh execution environment; init (process start until the runtime
 * asks for its first event, the model load included), then the first and second responses. Medians
 * (min, max) over --runs (default 5), on each Node binary given, with the init of a handler that does
 * nothing under the same runtime client beside them (the floor).
 *
 * Run: npm run build:lambda && npm run setup:lambda-runtime &&
 *      npx tsx bench/lambda-emulator.ts <model.sntm> [node-binary ...]
 * Writes bench/results/lambda-emulator.json and .md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { modelVersion } from '../src/model/artifact.js';
import { LambdaRuntime, RIC_ENTRY } from '../test/support/lambda-runtime.js';
import { lambdaModelSources } from './lambda-sources.js';
import { gitCommit, spread } from './meta.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' } },
});
const [modelFile, ...nodes] = positionals;
if (!modelFile) throw new Error('usage: bench/lambda-emulator.ts <model.sntm> [node-binary ...]');
const binaries = nodes.length ? nodes : [process.execPath];
const runs = Number(values.runs);
const root = new URL('..', import.meta.url).pathname;
const bytes = readFileSync(modelFile);

const { sources: SOURCES, event, close } = await lambdaModelSources(bytes);
// The floor: Node and the runtime client with a handler that does nothing.
const noop = mkdtempSync(join(tmpdir(), 'noop-handler-'));
writeFileSync(
  join(noop, 'index.mjs'),
  'export const handler = async () => ({ statusCode: 200, body: "{}" });\n',
);

const bundleDir = join(root, 'dist/lambda');
/** `used`: the bundle's compile cache; `off`: the same bundle with it off; `none`: none made for this Node. */
type CacheMode = 'used' | 'off' | 'none';
/** Does the bundle's compile cache hold code for this Node version (folders are named after it)? */
const hasCacheFor = (version: string) => {
  const dir = join(bundleDir, 'compile-cache');
  return existsSync(dir) && readdirSync(dir).some((name) => name.startsWith(`${version}-`));
};

const results = [];
for (const node of binaries) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const noopInit: number[] = [];
  // With the bundle's compile cache when the build made one for this Node (as Dockerfile.lambda's
  // image has), and without it (as a zip on AWS's managed runtime, whose Node version is AWS's).
  const cacheModes: CacheMode[] = hasCacheFor(version) ? ['used', 'off'] : ['none'];
  const configurations = SOURCES.flatMap((source) => cacheModes.map((cache) => ({ source, cache })));
  const timings = configurations.map(() => ({
    init: [] as number[],
    first: [] as number[],
    second: [] as number[],
  }));
  for (let i = 0; i < runs; i++) {
    const floor = new LambdaRuntime({ taskRoot: noop, handler: 'index.handler', timeoutMs: 10_000, node });
    noopInit.push((await floor.start()).initMs);
    await floor.close();
    for (const [s, { source, cache }] of configurations.entries()) {
      const runtime = new LambdaRuntime({
        taskRoot: bundleDir,
        handler: 'index.handler',
        timeoutMs: 10_000,
        node,
        env: cache === 'off' ? { ...source.env, NODE_DISABLE_COMPILE_CACHE: '1' } : source.env,
      });
      const started = await runtime.start();
      if (started.initError) throw new Error(`init failed: ${JSON.stringify(started.initError)}`);
      const a = await runtime.invoke(event);
      const b = await runtime.invoke(event);
      const body = JSON.parse((a.payload as { body: string }).body);
      if (body.modelVersion !== modelVersion(bytes))
        throw new Error(`unexpected answer ${JSON.stringify(body)}`);
      timings[s].init.push(started.initMs);
      timings[s].first.push(a.ms);
      timings[s].second.push(b.ms);
      await runtime.close();
    }
  }
  for (const [s, { source, cache }] of configurations.entries()) {
    const row = {
      node: version,
      model: source.name,
      compileCache: cache,
      initMs: spread(timings[s].init),
      // Each environment's init less the do-nothing init measured just before it: what the function
      // itself adds, with the host's load of that moment taken out.
      initAboveFloorMs: spread(timings[s].init.map((ms, i) => ms - noopInit[i])),
      noopInitMs: spread(noopInit),
      firstResponseMs: spread(timings[s].first),
      secondResponseMs: spread(timings[s].second),
    };
    results.push(row);
    console.log(
      `${version}, model from the ${source.name}, compile cache ${cache}: init ${row.initMs.median.toFixed(0)} ms (a handler that does nothing: ${row.noopInitMs.median.toFixed(0)} ms; above it, run by run: ${row.initAboveFloorMs.median.toFixed(0)} ms), first response ${row.firstResponseMs.median.toFixed(1)} ms, second ${row.secondResponseMs.median.toFixed(1)} ms (medians of ${runs})`,
    );
  }
}
await close();

const commit = gitCommit();
const meta = {
  measured: new Date().toISOString(),
  commit,
  model: { bytes: bytes.length, version: modelVersion(bytes) },
  runs,
  ric: JSON.parse(readFileSync(join(RIC_ENTRY, '..', 'package.json'), 'utf8')).version,
};
writeFileSync(
  new URL('./results/lambda-emulator.json', import.meta.url),
  `${JSON.stringify({ ...meta, results }, null, 2)}\n`,
);
const f = (s: { min: number; median: number; max: number }, digits = 0) =>
  `${s.median.toFixed(digits)} ms (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
writeFileSync(
  new URL('./results/lambda-emulator.md', import.meta.url),
  [
    `Measured ${meta.measured.slice(0, 10)} at commit ${commit.slice(0, 12)}; model ${(bytes.length / 1e6).toFixed(2)} MB (${meta.model.version.slice(0, 12)}) read through its manifest from an S3-protocol server (s3rver) on loopback, or from a file; aws-lambda-ric ${meta.ric}; medians (min–max) of ${runs} fresh environments each, in turn, without Lambda's CPU limits.`,
    '',
    "Compile cache: `used`, the one `npm run build:lambda` made for the Node that ran it (as Dockerfile.lambda's image ships it, made on the Node it runs); `off`, the same bundle with it off (NODE_DISABLE_COMPILE_CACHE=1: as a zip on AWS's managed runtime, built without one); `none`, no cache for this Node. The emulator starts Node with the flags of AWS's Node.js runtime bootstrap.",
    '',
    '| Node | model from | compile cache | init (model load included) | first response | second response | init of a handler that does nothing | init above it, run by run |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.node} | ${r.model} | ${r.compileCache} | ${f(r.initMs)} | ${f(r.firstResponseMs, 1)} | ${f(r.secondResponseMs, 1)} | ${f(r.noopInitMs)} | ${f(r.initAboveFloorMs)} |`,
    ),
    '',
  ].join('\n'),
);
