import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BodyBudget } from '../api/body-budget.js';
import { readConfig } from '../api/config.js';
import { describeModel } from '../api/model-info.js';
import { createService } from '../api/service.js';
import { Telemetry } from '../api/telemetry.js';
import { SentimentError } from '../errors.js';
import { startServer } from '../server.js';
import { numberOption, parseOrExplain } from './args.js';
import { UsageError } from './errors.js';
import { trainCommand } from './train.js';

export const SERVE_HELP = `sentiment serve [--model <path|s3-uri>] [--port 3000] [--host 127.0.0.1] [--train-if-missing | --train-full]

Serves the HTTP API (POST /predict, GET /health, /model, /openapi.json, and the playground at /)
with Node's HTTP server. --model defaults to MODEL_URI, else models/default/model.sntm.
  --train-if-missing   when the model file does not exist, train the default preset first, on
                       $IMDB_DIR/train.csv.gz, else data/imdb (from "sentiment data download"),
                       else the bundled sample data/imdb-sample.csv.gz
  --train-full         train the default preset on the full IMDb data first (after "sentiment data
                       download"), replacing the model file, then serve it`;

/** The best training data present: the full IMDb set when there is one, else the bundled sample. */
export function bestTrainingData(env: Record<string, string | undefined> = process.env): {
  path: string;
  /** Held-out test data to report on, when the full set is there. */
  test?: string;
  what: string;
} {
  const imdb = env.IMDB_DIR;
  if (imdb && existsSync(join(imdb, 'train.csv.gz'))) {
    return {
      path: join(imdb, 'train.csv.gz'),
      ...(existsSync(join(imdb, 'test.csv.gz')) ? { test: join(imdb, 'test.csv.gz') } : {}),
      what: `the full IMDb training set ($IMDB_DIR=${imdb})`,
    };
  }
  for (const candidate of ['data/imdb/aclImdb_v1.tar.gz', 'data/imdb/aclImdb', 'data/imdb']) {
    if (existsSync(join(candidate, candidate.endsWith('.tar.gz') ? '' : 'train'))) {
      // An aclImdb source holds both splits: --data reads train, --test reads test.
      return { path: candidate, test: candidate, what: `the full IMDb training set (${candidate})` };
    }
  }
  return {
    path: 'data/imdb-sample.csv.gz',
    what: 'the bundled 3,000-review sample ("npx sentiment data download" fetches the full data)',
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
        'train-full': { type: 'boolean', default: false },
      },
    }),
  );
  const port = numberOption('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536)!;
  const config = readConfig({ ...process.env, ...(values.model ? { MODEL_URI: values.model } : {}) });
  const local = !/^s3:\/\//.test(config.modelUri);
  const full = bestTrainingData();
  if (values['train-full']) {
    if (full.path === 'data/imdb-sample.csv.gz')
      throw new SentimentError('full_data_missing', 'no full IMDb data here to train on', {
        hint: 'run "npx sentiment data download" first (84 MB), then "npm start -- --train-full"',
      });
    if (!local) throw new UsageError('serve: --train-full trains a local model; --model is an S3 URI');
  }
  if (values['train-full'] || (values['train-if-missing'] && local && !existsSync(config.modelUri))) {
    const data = bestTrainingData();
    log(
      values['train-full']
        ? `training the default preset on ${data.what} into ${config.modelUri}`
        : `no model at ${config.modelUri}: training the default preset on ${data.what}`,
    );
    if (!config.modelUri.endsWith('model.sntm'))
      throw new UsageError(
        'serve: training writes <folder>/model.sntm; give --model a path ending in /model.sntm',
      );
    const outDir = config.modelUri.includes('/')
      ? config.modelUri.slice(0, config.modelUri.lastIndexOf('/'))
      : '.';
    await trainCommand(
      [
        '--data',
        data.path,
        ...(data.test ? ['--test', data.test] : []),
        '--out',
        outDir,
        '--preset',
        'default',
      ],
      log,
    );
  }

  const telemetry = new Telemetry({
    metrics: false,
    logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  });
  // Many connections at once share one byte budget for the bodies they are sending.
  const { app, models } = createService(config, telemetry, undefined, {
    bodyBudget: new BodyBudget(config.maxInflightBodyBytes),
  });
  // Fail fast: a server that starts without its model would answer every request 503.
  const loaded = await models.get();
  log(
    `serving model ${loaded.version.slice(0, 12)} from ${loaded.uri} (loaded in ${models.loadMs?.toFixed(1)} ms)`,
  );
  const info = describeModel(loaded.model);
  log(`  ${info.summary}`);
  if (info.sample) {
    log(
      '  this model learned from a small sample, not the full IMDb data; for the full model (about 91% accuracy):',
    );
    if (full.path === 'data/imdb-sample.csv.gz')
      log('    npx sentiment data download && npm start -- --train-full');
    else log(`    npm start -- --train-full      (trains on ${full.path})`);
  }
  const server = await startServer(app, {
    port,
    host: values.host,
    maxConnections: config.maxConnections,
    bodyTimeoutMs: config.bodyTimeoutMs,
  });
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
