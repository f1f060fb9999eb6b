import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { SentimentModel } from '../model/sentiment-model.js';
import { loadModel } from '../store/load-model.js';
import { numberOption, parseOrExplain } from './args.js';
import { UsageError } from './errors.js';

export const PREDICT_HELP = `sentiment predict --model <path|s3-uri> [--explain] [--top <k>] [text ...]

Predicts each text argument, or each line of standard input when there is none, printing one JSON
object per line in input order.`;

function answer(model: SentimentModel, text: string, explain: boolean, top: number): string {
  if (!explain) {
    const { sentiment, confidence, probabilityPositive } = model.predict(text);
    return JSON.stringify({ sentiment, confidence, probabilityPositive });
  }
  const { prediction, positive, negative } = model.explain(text, top);
  const { sentiment, confidence, probabilityPositive } = prediction;
  return JSON.stringify({ sentiment, confidence, probabilityPositive, explanation: { positive, negative } });
}

export async function predictCommand(
  argv: string[],
  print: (line: string) => void,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<void> {
  const { values, positionals } = parseOrExplain('predict', () =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        explain: { type: 'boolean', default: false },
        top: { type: 'string', default: '5' },
      },
    }),
  );
  if (!values.model) throw new UsageError('predict: --model <path|s3-uri> is required');
  const top = numberOption('top', values.top, (n) => Number.isInteger(n) && n > 0 && n <= 100)!;
  const { model } = await loadModel(values.model);
  if (positionals.length > 0) {
    for (const text of positionals) print(answer(model, text, values.explain, top));
    return;
  }
  for await (const line of createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    print(answer(model, line, values.explain, top));
  }
}
