import { PACKAGE_VERSION } from '../version.js';
import { describeFailure } from './failure.js';

const HELP = `sentiment ${PACKAGE_VERSION}: movie-review sentiment with TF-IDF + logistic regression

Usage: sentiment <command> [options]

Commands:
  train       train a model on labelled reviews, write the model, metrics, report and model card
  evaluate    score a model on one or more labelled sets (one row per set)
  calibrate   fit a model's probabilities and threshold to your domain from a labelled sample
  predict     predict the sentiment of texts (arguments or stdin lines)
  batch       score a file in S3 on AWS (Step Functions Distributed Map): start | status | results
  serve       serve the HTTP API and playground locally
  import-sklearn  turn a scikit-learn pipeline export (tools/export-sklearn.py) into a model file
  publish     upload a model to S3 (content-addressed) and point the manifest at it
  models      list | promote <version> | rollback the published models
  bench       the side-by-side benchmark against scikit-learn (source checkout)
  data        data download: fetch the Stanford IMDb archive (resumable, verified)

Run "sentiment <command> --help" for a command's options.`;

type Command = { help: string; run: (argv: string[]) => Promise<void> };
const out = (line: string) => console.log(line);
const err = (line: string) => console.error(line);

/**
 * Each command's module loads only when that command runs: `sentiment predict` does not pay for
 * the trainer, the HTTP server or the AWS SDK (a cold start is mostly module loading).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => {
    const m = await import('./train.js');
    return { help: m.TRAIN_HELP, run: (argv) => m.trainCommand(argv, err) };
  },
  evaluate: async () => {
    const m = await import('./evaluate.js');
    return { help: m.EVALUATE_HELP, run: (argv) => m.evaluateCommand(argv, out) };
  },
  calibrate: async () => {
    const m = await import('./calibrate.js');
    return { help: m.CALIBRATE_HELP, run: (argv) => m.calibrateCommand(argv, err) };
  },
  predict: async () => {
    const m = await import('./predict.js');
    return { help: m.PREDICT_HELP, run: (argv) => m.predictCommand(argv, out) };
  },
  batch: async () => {
    const m = await import('./batch.js');
    return { help: m.BATCH_HELP, run: (argv) => m.batchCommand(argv, out, err) };
  },
  'import-sklearn': async () => {
    const m = await import('./import-sklearn.js');
    return { help: m.IMPORT_SKLEARN_HELP, run: (argv) => m.importSklearnCommand(argv, err) };
  },
  publish: async () => {
    const m = await import('./publish.js');
    return { help: m.PUBLISH_HELP, run: (argv) => m.publishCommand(argv, out, err) };
  },
  models: async () => {
    const m = await import('./publish.js');
    return { help: m.MODELS_HELP, run: (argv) => m.modelsCommand(argv, out) };
  },
  bench: async () => {
    const m = await import('./bench.js');
    return { help: m.BENCH_HELP, run: (argv) => m.benchCommand(argv) };
  },
  data: async () => {
    const m = await import('./data.js');
    return { help: m.DATA_HELP, run: (argv) => m.dataCommand(argv, err) };
  },
  serve: async () => {
    const m = await import('./serve.js');
    return { help: m.SERVE_HELP, run: (argv) => m.serveCommand(argv, err) };
  },
};

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(PACKAGE_VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`sentiment: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  // --verbose anywhere asks for stack traces; the commands never see it.
  const verbose = rest.includes('--verbose');
  try {
    await command.run(rest.filter((arg) => arg !== '--verbose'));
    return 0;
  } catch (error) {
    const failure = describeFailure(error);
    const debug = verbose || /^(1|true|\*)$/i.test(process.env.DEBUG ?? '');
    // Usage messages already start with the command's name.
    const text = failure.message.startsWith(`${name}`) ? failure.message : `${name}: ${failure.message}`;
    console.error(`sentiment ${text}`);
    if (failure.hint) console.error(`  hint: ${failure.hint}`);
    if (failure.showHelp) console.error(`\n${command.help}`);
    if (debug && error instanceof Error && error.stack) console.error(error.stack);
    return failure.exitCode;
  }
}
