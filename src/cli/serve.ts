import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../api/config.js';
import { createService } from '../api/service.js';
import { Telemetry } from '../api/telemetry.js';
import { startServer } from '../server.js';
import { numberOption, parseOrExplain } from './args.js';
import { trainCommand } from './train.js';

export const SERVE_HELP = `sentiment serve [--model <path|s3-uri>] [--port 3000] [--host 127.0.0.1] [--train-if-missing]

Serves the HTTP API (POST /predict, GET /health, /model, /openapi.json, and the playground at /)
with Node's HTTP server. --model defaults to MODEL_URI, else models/default/model.sntm.
  --train-if-missing   when the model file does not exist, train the default preset first, on
                       $IMDB_DIR/train.csv.gz, else data/imdb (from "sentiment data download"),
                       else the bundled sample data/imdb-sample.csv.gz`;

/** The best training data present: the full IMDb set when there is one, else the bundled sample. */
export function bestTrainingData(env: Record<string, string | undefined> = process.env): {
  path: string;
  what: string;
} {
  const imdb = env.IMDB_DIR;
  if (imdb && existsSync(join(imdb, 'train.csv.gz'))) {
    return { path: join(imdb, 'train.csv.gz'), what: `the full IMDb training set ($IMDB_DIR=${imdb})` };
  }
  for (const candidate of ['data/imdb/aclImdb_v1.tar.gz', 'data/imdb/aclImdb', 'data/imdb']) {
    if (existsSync(join(candidate, candidate.endsWith('.tar.gz') ? '' : 'train'))) {
      return { path: candidate, what: `the full IMDb training set (${candidate})` };
    }
  }
  return {
    path: 'data/imdb-sample.csv.gz',
    what: 'the bundled 3,000-review sample (set IMDB_DIR for the full data)',
  };
}

export async function serveCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const { values } = parseOrExplain('serve', () =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        model: { type: 'string' },
        port: { type: 'string', default: process.env.PORT ?? '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        'train-if-missing': { type: 'boolean', default: false },
      },
    }),
  );
  const port = numberOption('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536)!;
  const config = readConfig({ ...process.env, ...(values.model ? { MODEL_URI: values.model } : {}) });
  const local = !/^s3:\/\//.test(config.modelUri);
  if (values['train-if-missing'] && local && !existsSync(config.modelUri)) {
    const data = bestTrainingData();
    log(`no model at ${config.modelUri}: training the default preset on ${data.what}`);
    const outDir = config.modelUri.endsWith('/model.sntm')
      ? config.modelUri.slice(0, -'/model.sntm'.length)
      : 'models/default';
    await trainCommand(['--data', data.path, '--out', outDir, '--preset', 'default'], log);
  }

  const telemetry = new Telemetry({
    metrics: false,
    logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  });
  const { app, models } = createService(config, telemetry);
  // Fail fast: a server that starts without its model would answer every request 503.
  const loaded = await models.get();
  log(
    `serving model ${loaded.version.slice(0, 12)} from ${loaded.uri} (loaded in ${models.loadMs?.toFixed(1)} ms)`,
  );
  const server = await startServer(app, { port, host: values.host });
  log(`listening on ${server.url}  (playground: ${server.url}/)`);
  log('try:');
  log(
    `  curl -s -X POST ${server.url}/predict -H 'content-type: application/json' -d '{"review": "A wonderful film with a superb cast."}'`,
  );
  log(
    `  curl -s -X POST '${server.url}/predict?explain=true' -H 'content-type: application/json' -d '{"reviews": ["Loved it.", "Dull and far too long."]}'`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: shutting down`);
      server.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
