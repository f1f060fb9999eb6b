import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside the caller (`beside`: its `import.meta.url`): the
 * built `.js`, or from TypeScript sources (tests, tsx) the `.ts` through tsx's loader, which the
 * thread registers before importing it.
 */
export function startWorker(beside: string, name: string, options: WorkerOptions = {}): Worker {
  const fromSource = beside.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, beside);
  if (!fromSource) return new Worker(url, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
