import { readFile } from 'node:fs/promises';
import { encodeModel, modelVersion } from '../model/artifact.js';
import { importSklearn } from '../model/import-sklearn.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { UsageError } from './errors.js';

export const IMPORT_SKLEARN_HELP = `sentiment import-sklearn <export.json> <model.sntm>

Turns the JSON that tools/export-sklearn.py writes from a scikit-learn pipeline into a model file
(weights and idf kept in float64, so predictions match scikit-learn's). The Python script runs this
step itself; see "Migrating from the Python version" in the README.`;

export async function importSklearnCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const [input, output, ...rest] = argv;
  if (!input || !output || rest.length > 0)
    throw new UsageError('import-sklearn: expects <export.json> <model.sntm>');
  const text = await readFile(input, 'utf8').catch((error: Error) => {
    throw new UsageError(`import-sklearn: cannot read ${input} (${error.message})`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`import-sklearn: ${input} is not valid JSON (${(error as Error).message})`);
  }
  const model = importSklearn(data);
  Object.assign(model.metadata, { createdAt: new Date().toISOString() });
  const bytes = encodeModel(model, { precision: 'float64' });
  await writeFileAtomic(output, bytes);
  log(
    `wrote ${output}: ${model.vocabularySize} terms, ${(bytes.length / 1e6).toFixed(2)} MB, version ${modelVersion(bytes).slice(0, 12)}`,
  );
}
