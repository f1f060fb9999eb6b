import { App } from 'aws-cdk-lib';
import { readSettings } from './settings.js';
import { SentimentStack } from './stack.js';

const app = new App();
const settings = readSettings((key) => app.node.tryGetContext(key));
new SentimentStack(app, app.node.tryGetContext('stackName') ?? 'ServerlessSentiment', settings, {
  description: 'Movie-review sentiment API: Lambda + HTTP API + S3 model artifacts',
});
