// Bundles the Lambda entry (src/lambda.ts) into one self-contained ES module: dist/lambda/index.mjs.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/lambda.ts'],
  outfile: 'dist/lambda/index.mjs',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  // Stack traces keep function names; run with --enable-source-maps (or decode offline with the
  // .map) for source positions. The deployed function does not: parsing the map costs every cold start.
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'none',
  // Some dependencies still call require(); give the ES module one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(`dist/lambda/index.mjs: ${(bytes / 1024).toFixed(0)} KiB`);
