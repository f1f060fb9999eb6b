/**
 * Two (or more) builds of the Lambda bundle side by side under the runtime emulator, environment by
 * environment in turn, so that the host's drifting load falls on each alike: init and first response,
 * with the model read through its manifest from the S3 test server, then from a file. For "did this
 * change make the cold start faster", which two runs minutes apart cannot answer on a shared host.
 *
 * Run: npm run setup:lambda-runtime &&
 *      npx tsx bench/lambda-ab.ts <model.sntm> <runs> [name=]<bundle dir> [name=]<bundle dir> [...]
 * (a bundle dir as `npm run build:lambda` writes dist/lambda; copy one aside before rebuilding).
 * Writes bench/results/lambda-ab.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LambdaRuntime } from '../test/support/lambda-runtime.js';
import { lambdaModelSources } from './lambda-sources.js';
import { gitCommit, spread } from './meta.js';

const [modelFile, runsArg, ...bundleArgs] = process.argv.slice(2);
// `name=dir`, or a dir named by itself.
const bundles = bundleArgs.map((arg) => arg.split('=').at(-1)!);
const names = bundleArgs.map((arg) => (arg.includes('=') ? arg.split('=')[0] : arg));
const runs = Number(runsArg);
if (!modelFile || !(runs > 0) || bundles.length < 2)
  throw new Error('usage: bench/lambda-ab.ts <model.sntm> <runs> <bundle dir> <bundle dir> [...]');
const bytes = readFileSync(modelFile);
const { sources: SOURCES, event, close } = await lambdaModelSources(bytes);

const rows: string[] = [];
for (const source of SOURCES) {
  const timings = bundles.map(() => ({ init: [] as number[], first: [] as number[], both: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    for (const [b, bundle] of bundles.entries()) {
      const runtime = new LambdaRuntime({
        taskRoot: bundle,
        handler: 'index.handler',
        timeoutMs: 10_000,
        env: source.env,
      });
      const started = await runtime.start();
      if (started.initError) throw new Error(`${bundle}: init failed: ${JSON.stringify(started.initError)}`);
      const first = await runtime.invoke(event);
      if ((first.payload as { statusCode?: number }).statusCode !== 200)
        throw new Error(`${bundle}: ${JSON.stringify(first.payload)}`);
      timings[b].init.push(started.initMs);
      timings[b].first.push(first.ms);
      timings[b].both.push(started.initMs + first.ms);
      await runtime.close();
    }
  }
  const f = (values: number[]) => {
    const s = spread(values);
    return `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
  };
  for (const b of bundles.keys()) {
    const row = `| ${source.name} | ${names[b]} | ${f(timings[b].init)} | ${f(timings[b].first)} | ${f(timings[b].both)} |`;
    rows.push(row);
    console.log(row);
  }
}
await close();
writeFileSync(
  new URL('./results/lambda-ab.md', import.meta.url),
  [
    `Measured ${new Date().toISOString().slice(0, 10)} at commit ${gitCommit().slice(0, 12)} on ${process.version}; model ${(bytes.length / 1e6).toFixed(2)} MB; medians (min–max) of ${runs} fresh environments per bundle, the bundles in turn.`,
    '',
    '| model from | bundle | init | first response | both |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
process.exit(0);
