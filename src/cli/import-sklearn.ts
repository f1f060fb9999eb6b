import { encodeModel, modelVersion } from '../model/artifact.js';
import { importSklearn } from '../model/import-sklearn.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { readJsonFile } from './args.js';
import { UsageError } from './errors.js';

export const IMPORT_SKLEARN_HELP = `sentiment import-sklearn <export.json> <model.sntm>

Turns the JSON that tools/export-sklearn.py writes from a scikit-learn pipeline into a model file
(weights and idf kept in float64, so predictions match scikit-learn's). The Python script runs this
step itself; see "Migrating from the Python version" in the README.`;

export async function importSklearnCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const [input, output, ...rest] = argv;
  if (!input || !output || rest.length > 0)
    throw new UsageError('import-sklearn: expects <export.json> <model.sntm>');
  const model = importSklearn(await readJsonFile(input, 'import-sklearn'));
  Object.assign(model.metadata, { createdAt: new Date().toISOString() });
  const bytes = encodeModel(model, { precision: 'float64' });
  await writeFileAtomic(output, bytes);
  log(
    `wrote ${output}: ${model.vocabularySize} terms, ${(bytes.length / 1e6).toFixed(2)} MB, version ${modelVersion(bytes).slice(0, 12)}`,
  );
}
