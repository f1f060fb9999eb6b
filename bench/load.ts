/**
 * Sustained load on the local server: POST /predict at concurrency 64 (autocannon) in rounds of
 * --requests (100,000) after a 5,000-request warm-up, with the server's RSS sampled after each
 * round: a leak grows round after round, a heap settling into its working size does not.
 *
 * Run: npm run build && npx tsx bench/load.ts [model.sntm] [--requests 100000] [--rounds 3] [--connections 64]
 * (without a model it trains the default preset on the bundled sample first)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
  },
});
const root = new URL('..', import.meta.url).pathname;
let model = positionals[0];
if (!model) {
  const dir = mkdtempSync(join(tmpdir(), 'load-'));
  await new Promise<void>((resolve, reject) =>
    spawn(
      process.execPath,
      [
        join(root, 'dist/cli/bin.js'),
        'train',
        '--data',
        join(root, 'data/imdb-sample.csv.gz'),
        '--out',
        dir,
        '--validation-split',
        '0',
      ],
      { stdio: 'ignore' },
    ).on('exit', (code) => (code === 0 ? resolve() : reject(new Error('training failed')))),
  );
  model = join(dir, 'model.sntm');
}
if (!existsSync(model)) throw new Error(`no model at ${model}`);

const port = 40_000 + Math.floor(Math.random() * 10_000);
const server = spawn(
  process.execPath,
  [join(root, 'dist/cli/bin.js'), 'serve', '--model', model, '--port', String(port)],
  {
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
await new Promise<void>((resolve) =>
  server.stderr!.on('data', (c: Buffer) => c.toString().includes('listening on') && resolve()),
);
const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const bodies = [
  { review: 'One of the best films I have seen this year. The cast is superb and the story moving.' },
  { review: 'A dull, predictable mess. The acting is wooden and the plot makes no sense.' },
  { reviews: ['Loved every minute of it.', 'Terrible script, worse acting.', 'Not bad, not great either.'] },
  {
    review: 'The first half is gripping, but the ending is rushed and the villain laughable.',
    explain: true,
  },
].map((body) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
}));
const fire = (amount: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}/predict`,
    requests: bodies,
    connections: Number(values.connections),
    amount,
  });

await fire(5000);
const before = rssMb();
const afterRounds: number[] = [];
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, rssMb());
}, 500);
let total = 0;
let failures = 0;
for (let round = 0; round < Number(values.rounds); round++) {
  const result = await fire(Number(values.requests));
  total += result.requests.total;
  failures += result.non2xx + result.errors + result.timeouts;
  afterRounds.push(rssMb());
  console.log(
    `round ${round + 1}: ${result.requests.total} requests (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}) at concurrency ${values.connections}; ${Math.round(result.requests.average)} req/s; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; RSS ${afterRounds.at(-1)!.toFixed(1)} MB`,
  );
}
clearInterval(sampler);
server.kill('SIGTERM');
console.log(
  `total ${total} requests, ${failures} failures; RSS after warm-up ${before.toFixed(1)} MB, after each round ${afterRounds.map((r) => r.toFixed(1)).join(' / ')} MB, peak ${peak.toFixed(1)} MB`,
);
if (failures > 0) process.exitCode = 1;
