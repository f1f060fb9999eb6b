import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TINY_ARTIFACT } from './api/helpers.js';
import { hasRic, LambdaRuntime } from './support/lambda-runtime.js';

const root = new URL('..', import.meta.url).pathname;
// Node 24 makes a portable cache (found wherever the bundle is copied); Node 22 makes none.
const portable = Number(process.versions.node.split('.')[0]) >= 24;

function build(...flags: string[]): string {
  const out = mkdtempSync(join(tmpdir(), 'bundle-build-'));
  const script = join(root, 'scripts/build-lambda.mjs');
  execFileSync(process.execPath, [script, 'src/lambda.ts', out, ...flags], { cwd: root, stdio: 'pipe' });
  return out;
}

describe("the Lambda bundle's compile cache (scripts/build-lambda.mjs)", () => {
  let taskRoot: string;
  let built: string;
  beforeAll(() => {
    built = build();
    // Moved after the build, as Dockerfile.lambda's last stage copies the bundle to the task root.
    taskRoot = mkdtempSync(join(tmpdir(), 'task-root-'));
    cpSync(built, taskRoot, { recursive: true });
  }, 120_000);

  it.runIf(portable && hasRic)(
    "is made by the building Node and used by a cold start with AWS's runtime flags, once copied elsewhere",
    async () => {
      expect(readdirSync(join(taskRoot, 'compile-cache'))).toEqual([
        expect.stringMatching(new RegExp(`^v${process.versions.node}-`)),
      ]);
      const model = join(mkdtempSync(join(tmpdir(), 'model-')), 'model.sntm');
      writeFileSync(model, TINY_ARTIFACT);
      const runtime = new LambdaRuntime({
        taskRoot,
        handler: 'index.handler',
        timeoutMs: 10_000,
        env: { MODEL_URI: model, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
      });
      try {
        expect((await runtime.start()).initError).toBeUndefined();
      } finally {
        await runtime.close();
      }
      // The function's code and the chunks its init loads came from the cache, not the compiler.
      const accepted = (file: string) =>
        runtime.logs.some((line) =>
          line.includes(`V8 code cache for ESM ${pathToFileURL(join(taskRoot, file)).href} was accepted`),
        );
      expect(accepted('app.mjs')).toBe(true);
      const chunks = readdirSync(join(taskRoot, 'chunks')).filter((f) => f.endsWith('.mjs'));
      expect(chunks.filter((chunk) => accepted(`chunks/${chunk}`)).length).toBeGreaterThan(1);
    },
    60_000,
  );

  it.runIf(!portable)('is not made by a Node that cannot make a portable one', () => {
    expect(existsSync(join(taskRoot, 'compile-cache'))).toBe(false);
    expect(readFileSync(join(taskRoot, 'index.mjs'), 'utf8')).not.toContain('enableCompileCache');
  });

  it("is left out with --no-compile-cache (the CDK stack's zips), the code the same", () => {
    const plain = build('--no-compile-cache');
    expect(existsSync(join(plain, 'compile-cache'))).toBe(false);
    expect(readFileSync(join(plain, 'index.mjs'), 'utf8')).not.toContain('enableCompileCache');
    expect(readFileSync(join(plain, 'index.mjs'), 'utf8')).toContain("await import('./app.mjs')");
    expect(readFileSync(join(plain, 'app.mjs'))).toEqual(readFileSync(join(built, 'app.mjs')));
  }, 60_000);
});
