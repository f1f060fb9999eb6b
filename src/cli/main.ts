import { PACKAGE_VERSION } from '../version.js';
import { BATCH_HELP, batchCommand } from './batch.js';
import { BENCH_HELP, benchCommand } from './bench.js';
import { CALIBRATE_HELP, calibrateCommand } from './calibrate.js';
import { DATA_HELP, dataCommand } from './data.js';
import { EVALUATE_HELP, evaluateCommand } from './evaluate.js';
import { describeFailure } from './failure.js';
import { IMPORT_SKLEARN_HELP, importSklearnCommand } from './import-sklearn.js';
import { PREDICT_HELP, predictCommand } from './predict.js';
import { MODELS_HELP, modelsCommand, PUBLISH_HELP, publishCommand } from './publish.js';
import { SERVE_HELP, serveCommand } from './serve.js';
import { TRAIN_HELP, trainCommand } from './train.js';

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

const COMMANDS: Record<string, { help: string; run: (argv: string[]) => Promise<void> }> = {
  train: { help: TRAIN_HELP, run: (argv) => trainCommand(argv, (line) => console.error(line)) },
  evaluate: { help: EVALUATE_HELP, run: (argv) => evaluateCommand(argv, (line) => console.log(line)) },
  calibrate: { help: CALIBRATE_HELP, run: (argv) => calibrateCommand(argv, (line) => console.error(line)) },
  predict: { help: PREDICT_HELP, run: (argv) => predictCommand(argv, (line) => console.log(line)) },
  'import-sklearn': {
    help: IMPORT_SKLEARN_HELP,
    run: (argv) => importSklearnCommand(argv, (line) => console.error(line)),
  },
  publish: {
    help: PUBLISH_HELP,
    run: (argv) =>
      publishCommand(
        argv,
        (line) => console.log(line),
        (line) => console.error(line),
      ),
  },
  models: { help: MODELS_HELP, run: (argv) => modelsCommand(argv, (line) => console.log(line)) },
  bench: { help: BENCH_HELP, run: (argv) => benchCommand(argv) },
  batch: {
    help: BATCH_HELP,
    run: (argv) =>
      batchCommand(
        argv,
        (line) => console.log(line),
        (line) => console.error(line),
      ),
  },
  data: { help: DATA_HELP, run: (argv) => dataCommand(argv, (line) => console.error(line)) },
  serve: { help: SERVE_HELP, run: (argv) => serveCommand(argv, (line) => console.error(line)) },
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
  const command = COMMANDS[name];
  if (!command) {
    console.error(`sentiment: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
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
