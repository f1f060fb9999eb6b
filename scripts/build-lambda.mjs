// Bundles a Lambda entry into ES modules: `index.mjs` and, beside it, `chunks/` with the code loaded
// on first use only (the AWS SDK, the /docs page), so that a cold start does not parse it. One recipe
// for every Lambda: `npm run build:lambda` (src/lambda.ts → dist/lambda/), the CDK stack's assets
// (infra/lambda-code.ts) and Dockerfile.lambda.
//
//   node scripts/build-lambda.mjs [entry = src/lambda.ts] [outdir = dist/lambda]
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const [entry = 'src/lambda.ts', outdir = 'dist/lambda'] = process.argv.slice(2);
const out = resolve(root, outdir);
// Chunk names carry content hashes: clear the last build's, so that none ships stale.
for (const stale of ['chunks', 'index.mjs', 'index.mjs.map'])
  rmSync(join(out, stale), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { index: entry },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  // Stack traces keep function names; run with --enable-source-maps (or decode offline with the
  // .map files) for source positions. The deployed function does not: parsing a map costs every
  // cold start.
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'none',
  // Some dependencies still call require(); give each ES module one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
const modules = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const entryBytes = modules.find(([, o]) => o.entryPoint)?.[1].bytes ?? 0;
const total = modules.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(
  `${join(outdir, 'index.mjs')}: ${kib(entryBytes)}, ${kib(total)} with its ${modules.length - 1} chunks`,
);
