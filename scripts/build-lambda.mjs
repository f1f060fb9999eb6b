// Bundles a Lambda entry into ES modules: `app.mjs` and, beside it, `chunks/` with the code loaded
// on first use only (the AWS SDK, the /docs page), so that a cold start does not parse it; and
// `index.mjs`, the handler's file, which turns on V8's compile cache in `compile-cache/` before it
// loads `app.mjs`. One recipe for every Lambda: `npm run build:lambda` (src/lambda.ts →
// dist/lambda/), the CDK stack's assets (infra/lambda-code.ts) and Dockerfile.lambda.
//
//   node scripts/build-lambda.mjs [entry = src/lambda.ts] [outdir = dist/lambda] [--no-compile-cache]
//
// The compile cache: the build imports the bundle once, on the Node running the build, which writes
// the code V8 compiled for it (portable: found wherever the bundle is copied; Node 24). A cold start
// on that same Node version, started with the same V8 flags, loads that code instead of compiling
// it; any other version compiles as usual (and cannot write to a Lambda's read-only code). So it
// pays where the build's Node is the runtime's: Dockerfile.lambda builds on the Lambda base image
// it ships on. The CDK stack's zips, for AWS's managed runtime (whose patch version AWS picks), are
// built with --no-compile-cache, which also keeps their content, and so their asset hash, the same
// from build to build (V8's cache bytes are not). A Node that cannot make a portable cache (22)
// makes none.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const withCompileCache = !args.includes('--no-compile-cache');
const [entry = 'src/lambda.ts', outdir = 'dist/lambda'] = args.filter((arg) => !arg.startsWith('--'));
const out = resolve(root, outdir);
const CACHE = 'compile-cache';
// Chunk names carry content hashes: clear the last build's, so that none ships stale.
for (const stale of ['chunks', 'index.mjs', 'index.mjs.map', 'app.mjs', 'app.mjs.map', CACHE])
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
  entryPoints: { app: entry },
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
// Dynamically imported builtins are entry points too: the entry is the one named app.mjs.
const [, app] = modules.find(([file]) => file.endsWith('/app.mjs'));

/** The handler's file: the compile cache on (when `cache`), then the function's exports from app.mjs. */
const writeEntry = (cache) => {
  const lines = [
    '// The handler file: loads the function (app.mjs) after turning on the compile cache the build',
    '// made for its own Node version (see scripts/build-lambda.mjs); other versions compile as usual.',
  ];
  if (cache)
    lines.push(
      "const { enableCompileCache } = process.getBuiltinModule('node:module');",
      "const directory = process.getBuiltinModule('node:url').fileURLToPath(new URL('compile-cache', import.meta.url));",
      // Node 22 takes no options object (and has no portable cache): it throws, and compiles.
      'try { enableCompileCache?.({ directory, portable: true }); } catch {}',
    );
  lines.push(`export const { ${app.exports.join(', ')} } = await import('./app.mjs');`, '');
  writeFileSync(join(out, 'index.mjs'), lines.join('\n'));
};

let cache = 'none (--no-compile-cache)';
writeEntry(withCompileCache);
if (withCompileCache) {
  // Imported once, without a model (init logs that it found none, and goes on): V8 compiles the
  // modules a cold start loads, and Node writes their code at exit.
  const script = [
    `try { await import(${JSON.stringify(pathToFileURL(join(out, 'index.mjs')).href)}); } catch {}`,
    "process.getBuiltinModule('node:module').flushCompileCache?.();",
    'process.exit(0);',
  ].join('\n');
  // With --expose-gc, as AWS's Node.js runtime starts Node: V8 keeps a cache for one set of flags
  // (memory sizes aside), and the runtime's other flags are Node's or memory sizes.
  spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: out,
    env: { PATH: process.env.PATH ?? '', MODEL_URI: join(out, 'no-model-at-build.sntm') },
    stdio: 'ignore',
    timeout: 60_000,
  });
  const dir = join(out, CACHE);
  const versions = existsSync(dir) ? readdirSync(dir) : [];
  if (versions.length > 0) cache = `${versions.join(', ')} (${process.version})`;
  else {
    rmSync(dir, { recursive: true, force: true });
    writeEntry(false);
    cache = `none (${process.version} makes no portable compile cache)`;
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const total = modules.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(
  `${join(outdir, 'app.mjs')}: ${kib(app.bytes)}, ${kib(total)} with its ${modules.length - 1} chunks; compile cache: ${cache}`,
);
