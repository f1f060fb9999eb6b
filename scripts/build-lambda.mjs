// Bundles a Lambda entry into ES modules: `index.mjs` and, beside it, `chunks/` with the code loaded
// on first use only (the AWS SDK, the /docs page), so that a cold start does not parse it. One recipe
// for every Lambda: `npm run build:lambda` (src/lambda.ts → dist/lambda/), the CDK stack's assets
// (infra/lambda-code.ts) and Dockerfile.lambda.
//
//   node scripts/build-lambda.mjs [entry = src/lambda.ts] [outdir = dist/lambda]
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const [entry = 'src/lambda.ts', outdir = 'dist/lambda'] = process.argv.slice(2);
const out = resolve(root, outdir);
// Chunk names carry content hashes: clear the last build's, so that none ships stale.
for (const stale of ['chunks', 'index.mjs', 'index.mjs.map'])
  rmSync(join(out, stale), { recursive: true, force: true });

// Hono's modules use the Fetch API's globals; in this bundle they use src/lambda-fetch.ts instead,
// so that a cold start never loads undici (see there). The rest of the bundle keeps the globals.
const FETCH_CLASSES = resolve(root, 'src/lambda-fetch.ts');
const honoFetch = {
  name: 'hono-fetch-classes',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]hono[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!/\b(Headers|Request|Response)\b/.test(source)) return undefined;
      const names = 'Headers as Headers, Request as Request, Response as Response';
      return {
        contents: `import { ${names} } from ${JSON.stringify(FETCH_CLASSES)};\n${source}`,
        loader: 'js',
      };
    });
  },
};

// An ES import of a Node builtin builds its module namespace, which reads every export: node:http's
// include undici's WebSocket (loading undici, some 60-90 ms), node:crypto's webcrypto (some 10 ms).
// In this bundle, `import … from 'node:x'` takes the module from process.getBuiltinModule instead and
// reads only the exports that the bundle imports, in the chunk that imports them.
const BUILTIN = new RegExp(
  `^(node:)?(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`,
);
const builtins = {
  name: 'builtins-without-namespace',
  setup(build) {
    // A dynamic import needs every export (its namespace is a value): one module of its own, so
    // that the static imports' module keeps only what they import.
    const namespaces = { 'import-statement': 'builtin', 'dynamic-import': 'builtin-whole' };
    build.onResolve({ filter: BUILTIN }, (args) =>
      namespaces[args.kind]
        ? { path: args.path.replace(/^(node:)?/, 'node:'), namespace: namespaces[args.kind] }
        : undefined,
    );
    const load = (args) => {
      const exports = process.getBuiltinModule(args.path);
      // Identifiers only; the two names of the module's own below start with $.
      const names = Object.keys(exports).filter(
        (name) => /^[A-Za-z_][\w$]*$/.test(name) && name !== 'default',
      );
      // Pure calls: esbuild drops the exports nobody imports, so their getters never run.
      const lines = [
        `const $module = /* @__PURE__ */ process.getBuiltinModule(${JSON.stringify(args.path)});`,
        'const $read = (name) => $module[name];',
        'export default $module;',
        ...names.map((name) => `export const ${name} = /* @__PURE__ */ $read(${JSON.stringify(name)});`),
      ];
      return { contents: lines.join('\n'), loader: 'js' };
    };
    for (const namespace of Object.values(namespaces)) build.onLoad({ filter: /.*/, namespace }, load);
  },
};

const result = await build({
  plugins: [honoFetch, builtins],
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
// Dynamically imported builtins are entry points too: the entry is the one named index.mjs.
const entryBytes = modules.find(([file]) => file.endsWith('/index.mjs'))?.[1].bytes ?? 0;
const total = modules.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(
  `${join(outdir, 'index.mjs')}: ${kib(entryBytes)}, ${kib(total)} with its ${modules.length - 1} chunks`,
);
