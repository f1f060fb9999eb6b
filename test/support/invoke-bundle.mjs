// Imports a built Lambda bundle in a fresh process, invokes it like the Lambda runtime would and
// writes timings, the first response and the modules it loaded (Node's own as `node:…`, the rest
// as file URLs; Node's internal ones apart) to a JSON file.
// Usage: node invoke-bundle.mjs <bundle.mjs> <event.json> <result.json> [warm-invocations]
import { readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const modules = new Set();
registerHooks({
  load(url, context, nextLoad) {
    modules.add(url);
    return nextLoad(url, context);
  },
});

const [bundle, eventFile, resultFile, warmArg] = process.argv.slice(2);
const context = {
  awsRequestId: 'bundle-test',
  functionName: 'sentiment',
  getRemainingTimeInMillis: () => 3000,
};
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const first = await handler(event, context);
const answered = performance.now();
const warm = [];
for (let i = 0; i < Number(warmArg ?? 0); i++) {
  const t = performance.now();
  await handler(event, context);
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
writeFileSync(
  resultFile,
  JSON.stringify({
    node: process.version,
    importMs: imported - started,
    firstResponseMs: answered - started,
    warmP50Ms: warm[Math.floor(warm.length / 2)] ?? null,
    warmP99Ms: warm[Math.floor(warm.length * 0.99)] ?? null,
    rssMb: process.memoryUsage.rss() / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    response: first,
    modules: [...modules],
    // Node's own modules as it loaded them (`NativeModule internal/deps/undici/undici`, …).
    internals: process.moduleLoadList,
  }),
);
// The SDK keeps sockets alive, as it should in Lambda; a test process must end.
process.exit(0);
