import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Where `.ci/run` (or `npm run setup:lambda-runtime`) installs AWS's runtime interface client, the
 * one the Lambda Node.js base images run. Kept out of package.json: its install builds a native
 * addon with cmake and g++, which a user's `npm ci` should not need.
 */
export const RIC_ENTRY = join(
  new URL('../..', import.meta.url).pathname,
  '.cache/ric/node_modules/aws-lambda-ric/index.mjs',
);
export const hasRic = existsSync(RIC_ENTRY) && Number(process.versions.node.split('.')[0]) >= 22;

export interface InvocationResult {
  requestId: string;
  /** `ok`: the function answered; `error`: it reported an error; `timeout`: it was killed at the deadline. */
  outcome: 'ok' | 'error' | 'timeout';
  /** The function's response or error document. */
  payload: unknown;
  /** From handing out the event to the answer (or the kill). */
  ms: number;
}

export interface RuntimeOptions {
  /** Folder holding the handler module (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** `file.export`, as Lambda's handler setting (_HANDLER). */
  handler: string;
  /** The function's timeout: an invocation not answered by then is killed, as Lambda does. */
  timeoutMs: number;
  env?: Record<string, string>;
  /** The Node binary (default: this one). */
  node?: string;
  memoryMb?: number;
}

interface Pending {
  id: string;
  event: unknown;
  started: number;
  timer: NodeJS.Timeout;
  resolve: (result: InvocationResult) => void;
}

/**
 * A small Lambda Runtime API (2018-06-01) in front of the real runtime interface client, with the
 * lifecycle Lambda imposes: init runs until the runtime first asks for an event (or posts an init
 * error); the process is frozen (SIGSTOP) whenever it waits for an event and thawed (SIGCONT) when
 * one arrives; an invocation not answered within the timeout is killed with its process, and the
 * next invocation starts a fresh one (init again).
 */
export class LambdaRuntime {
  private server: Server | null = null;
  private child: ChildProcess | null = null;
  private waiting: ServerResponse | null = null;
  private pending: Pending | null = null;
  private initDone: ((value: { initMs: number; initError?: unknown }) => void) | null = null;
  private initStarted = 0;
  /** Every line the function printed, across restarts. */
  readonly logs: string[] = [];
  /** Init outcomes, one per process started. */
  readonly inits: Array<{ initMs: number; initError?: unknown }> = [];
  frozen = false;
  /** Set by a test to watch: true while any of the function's code could run. */
  ranWhileFrozen = false;

  constructor(private readonly options: RuntimeOptions) {}

  /** Starts the API and a first execution environment; resolves when its init is over. */
  async start(): Promise<{ initMs: number; initError?: unknown }> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.spawn();
  }

  private spawn(): Promise<{ initMs: number; initError?: unknown }> {
    const { port } = this.server!.address() as AddressInfo;
    const { options } = this;
    this.initStarted = performance.now();
    const done = new Promise<{ initMs: number; initError?: unknown }>((resolve) => {
      this.initDone = (value) => {
        this.inits.push(value);
        resolve(value);
      };
    });
    // Node's flags as AWS's Node.js runtime bootstrap sets them: --expose-gc, large headers, and the
    // heap sized from the function's memory (a tenth young, semi-spaces half of that).
    const memoryMb = options.memoryMb ?? 256;
    const young = Math.floor(memoryMb / 10);
    const flags = [
      '--expose-gc',
      '--max-http-header-size=81920',
      `--max-semi-space-size=${Math.floor(young / 2)}`,
      `--max-old-space-size=${memoryMb - young}`,
    ];
    const child = spawn(options.node ?? process.execPath, [...flags, RIC_ENTRY, options.handler], {
      cwd: options.taskRoot,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
        _HANDLER: options.handler,
        LAMBDA_TASK_ROOT: options.taskRoot,
        AWS_LAMBDA_FUNCTION_NAME: 'sentiment-predict',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/sentiment-predict',
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/26/[$LATEST]emulator',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_REGION: 'us-east-1',
        TZ: ':UTC',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.frozen = false;
    const collect = (chunk: Buffer) => {
      if (this.frozen) this.ranWhileFrozen = true;
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.logs.push(line);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code, signal) => {
      this.logs.push(`[emulator] process ${child.pid} exited (code ${code}, signal ${signal})`);
      // A process killed at a timeout exits after its replacement started: it settles nothing.
      if (this.child !== child) return;
      this.child = null;
      this.initDone?.({
        initMs: performance.now() - this.initStarted,
        initError: 'process exited during init',
      });
      this.initDone = null;
    });
    return done;
  }

  /** Sends one event and waits for the answer, the error, or the timeout. */
  async invoke(event: unknown): Promise<InvocationResult> {
    if (!this.child) {
      const init = await this.spawn();
      if (init.initError) return { requestId: '-', outcome: 'error', payload: init.initError, ms: 0 };
    }
    while (!this.waiting) await new Promise((resolve) => setTimeout(resolve, 5));
    return new Promise<InvocationResult>((resolve) => {
      const id = randomUUID();
      const started = performance.now();
      const timer = setTimeout(() => this.timeOut(), this.options.timeoutMs);
      this.pending = { id, event, started, timer, resolve };
      this.thaw();
      const res = this.waiting!;
      this.waiting = null;
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': id,
        'lambda-runtime-deadline-ms': String(Date.now() + this.options.timeoutMs),
        'lambda-runtime-invoked-function-arn':
          'arn:aws:lambda:us-east-1:123456789012:function:sentiment-predict',
        'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${id.replace(/-/g, '').slice(0, 24)};Sampled=0`,
      });
      res.end(JSON.stringify(event));
    });
  }

  /** Stops the function's process as if stuck in a computation (it will not answer). */
  hang(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets time pass with the environment frozen, as between two requests on a quiet API. */
  async idle(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  async close(): Promise<void> {
    this.thaw();
    this.child?.kill('SIGKILL');
    this.waiting?.destroy();
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private freeze(): void {
    if (this.child?.pid && !this.frozen) {
      this.child.kill('SIGSTOP');
      this.frozen = true;
    }
  }

  private thaw(): void {
    if (this.child?.pid && this.frozen) {
      this.frozen = false;
      this.child.kill('SIGCONT');
    }
  }

  private timeOut(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    // Lambda stops the environment; the next event gets a fresh one.
    this.thaw();
    this.child?.kill('SIGKILL');
    this.child = null;
    this.waiting = null;
    pending.resolve({
      requestId: pending.id,
      outcome: 'timeout',
      payload: {
        errorType: 'Sandbox.Timedout',
        errorMessage: `Task timed out after ${this.options.timeoutMs} ms`,
      },
      ms: performance.now() - pending.started,
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      if (this.initDone) {
        this.initDone({ initMs: performance.now() - this.initStarted });
        this.initDone = null;
      }
      this.waiting = res;
      // Waiting for an event: Lambda freezes the environment now.
      this.freeze();
      return;
    }
    const answer = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method === 'POST' && answer) {
      const pending = this.pending;
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      if (!pending || decodeURIComponent(answer[1]) !== pending.id) return;
      clearTimeout(pending.timer);
      this.pending = null;
      pending.resolve({
        requestId: pending.id,
        outcome: answer[2] === 'response' ? 'ok' : 'error',
        payload: body ? JSON.parse(body) : null,
        ms: performance.now() - pending.started,
      });
      return;
    }
    if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      this.initDone?.({
        initMs: performance.now() - this.initStarted,
        initError: body ? JSON.parse(body) : 'init error',
      });
      this.initDone = null;
      return;
    }
    res.writeHead(404).end();
  }
}
