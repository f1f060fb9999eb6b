export { createApp } from './api/app.js';
export { type ApiConfig, readConfig } from './api/config.js';
export { ApiError, ERROR_STATUS, type ErrorCode } from './api/errors.js';
export { ModelProvider } from './api/model-provider.js';
export { createService } from './api/service.js';
export { Telemetry } from './api/telemetry.js';
export type { Dataset, ReadOptions } from './data/dataset.js';
export { DatasetError } from './data/errors.js';
export { readDataset } from './data/read.js';
export { SentimentError } from './errors.js';
export { decodeModel, encodeModel, modelVersion } from './model/artifact.js';
export { type Calibration, fitPlatt } from './model/calibration.js';
export { ModelLoadError } from './model/errors.js';
export { fitSentimentModel, type ModelOptions } from './model/fit.js';
export { importSklearn } from './model/import-sklearn.js';
export { fitLogisticRegression, type LogisticRegressionOptions } from './model/logistic-regression.js';
export { logCountRatio } from './model/naive-bayes.js';
export {
  type AbstentionPolicy,
  DEFAULT_MIN_COVERAGE,
  type PredictionResult,
  toResult,
} from './model/prediction.js';
export { type Explanation, type Prediction, SentimentModel } from './model/sentiment-model.js';
export { CsrMatrix } from './model/sparse.js';
export { SKLEARN_TFIDF, type TfidfOptions, TfidfVectorizer } from './model/vectorizer.js';
export { type LoadedModel, loadModel } from './store/load-model.js';
export type { ModelStore } from './store/model-store.js';
export { listModels, promoteModel, publishModel, rollbackModel } from './store/publish.js';
export { Analyzer, type AnalyzerOptions, SKLEARN_ANALYZER } from './text/analyzer.js';
export { calibrateModel } from './training/calibrate.js';
export { type DomainResult, evaluateDomain } from './training/domains.js';
export { computeMetrics, type Metrics } from './training/metrics.js';
export { PRESETS, type PresetName } from './training/presets.js';
