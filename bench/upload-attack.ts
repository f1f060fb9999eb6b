/**
 * The slow-upload attack of the hardening issue, against `sentiment serve` as users run it: N
 * connections each declare a body of the largest allowed size, send all of it but one byte and hold.
 * Records the server's RSS before, its peak (VmHWM) and its RSS after the connections close, how the
 * held uploads were answered and after how long; and the original attack (6 MiB − 1 declared), which
 * is now refused from its Content-Length. Linux only (reads /proc).
 *
 * Run: npm run build && npx tsx bench/upload-attack.ts <model.sntm> [--connections 200,400]
 * Writes bench/results/upload-attack.json and .md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { readConfig } from '../src/api/config.js';
import { gitCommit } from './meta.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { connections: { type: 'string', default: '200,400' }, port: { type: 'string', default: '3931' } },
});
const [modelFile] = positionals;
if (!modelFile) throw new Error('usage: bench/upload-attack.ts <model.sntm> [--connections 200,400]');
const port = Number(values.port);
const config = readConfig({});
const root = new URL('..', import.meta.url).pathname;

const kib = (field: string, pid: number) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const mb = (k: number) => Math.round(k / 1024);

async function startServer(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [`${root}dist/cli/bin.js`, 'serve', '--model', modelFile, '--port', String(port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'WARN' },
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d) => {
      if (String(d).includes('listening on')) resolve();
    });
    child.stdout?.on('data', (d) => {
      if (String(d).includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return child;
}

interface Held {
  socket: Socket;
  status: Promise<{ status: number; ms: number }>;
}

function hold(declared: number, send: number): Promise<Held> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const status = new Promise<{ status: number; ms: number }>((done) => {
      const finish = () =>
        done({ status: Number(text.split(' ')[1] ?? 0), ms: Math.round(performance.now() - started) });
      socket.on('data', (d) => {
        text += d;
        if (text.includes('\r\n\r\n')) finish();
      });
      socket.on('close', finish);
      socket.on('error', () => {});
    });
    socket.once('connect', () => {
      socket.write(
        `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let left = send;
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!socket.write(chunk.subarray(0, n))) return socket.once('drain', pump);
        }
      };
      pump();
      resolve({ socket, status });
    });
    socket.once('error', () => resolve({ socket, status }));
  });
}

const rows = [];
for (const connections of values.connections.split(',').map(Number)) {
  for (const [label, declared] of [
    ['largest allowed body (MAX_BODY_BYTES − 1 sent of MAX_BODY_BYTES)', config.maxBodyBytes],
    ['the original attack (6 MiB − 1 declared and sent)', 6 * 1024 * 1024 - 1],
  ] as const) {
    const server = await startServer();
    const pid = server.pid as number;
    await new Promise((r) => setTimeout(r, 500));
    const before = kib('VmRSS', pid);
    const held = await Promise.all(Array.from({ length: connections }, () => hold(declared, declared - 1)));
    const answers = await Promise.all(held.map((h) => h.status));
    const peak = kib('VmHWM', pid);
    for (const h of held) h.socket.destroy();
    await new Promise((r) => setTimeout(r, 2000));
    const after = kib('VmRSS', pid);
    server.kill();
    const byStatus: Record<string, number> = {};
    for (const a of answers) byStatus[a.status || 'closed'] = (byStatus[a.status || 'closed'] ?? 0) + 1;
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const row = {
      attack: label,
      connections,
      declaredBytes: declared,
      rssBeforeMb: mb(before),
      peakRssMb: mb(peak),
      rssAfterMb: mb(after),
      answers: byStatus,
      answeredWithinMs: { median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] },
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

const bound = Math.round(config.maxInflightBodyBytes / 1024 / 1024);
const result = {
  benchmark: 'upload-attack',
  commit: gitCommit(),
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model,
  model: modelFile,
  limits: {
    maxBodyBytes: config.maxBodyBytes,
    maxInflightBodyBytes: config.maxInflightBodyBytes,
    maxConnections: config.maxConnections,
    bodyTimeoutMs: config.bodyTimeoutMs,
  },
  rows,
};
writeFileSync(
  new URL('./results/upload-attack.json', import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
writeFileSync(
  new URL('./results/upload-attack.md', import.meta.url),
  [
    '# Slow uploads against the local server',
    '',
    `Commit ${result.commit.slice(0, 12)}, ${result.date.slice(0, 10)}, Node ${result.node}, ${result.cpu}. \`sentiment serve\` with the default limits (body ${config.maxBodyBytes} bytes, ${bound} MiB of bodies in flight, ${config.maxConnections} connections, ${config.bodyTimeoutMs / 1000} s per body). Each connection declares a body, sends all but its last byte and holds. Regenerate: \`npx tsx bench/upload-attack.ts <model.sntm>\`.`,
    '',
    'Bound: RSS before + MAX_INFLIGHT_BODY_BYTES of bodies + per-connection overhead; connections past MAX_CONNECTIONS are closed.',
    '',
    '| attack | connections | RSS before | peak RSS | RSS after | answers | answered after (median / max) |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.attack} | ${r.connections} | ${r.rssBeforeMb} MB | ${r.peakRssMb} MB | ${r.rssAfterMb} MB | ${Object.entries(
          r.answers,
        )
          .map(([s, n]) => `${n} × ${s}`)
          .join(
            ', ',
          )} | ${(r.answeredWithinMs.median / 1000).toFixed(1)} s / ${(r.answeredWithinMs.max / 1000).toFixed(1)} s |`,
    ),
    '',
  ].join('\n'),
);
