# The HTTP API and playground as a plain container, for hosts other than AWS Lambda (ECS, Kubernetes,
# Cloud Run, a VM). Mount or fetch a model and point MODEL_URI at it (a path or s3://...):
#   docker build -t sentiment . && docker run -p 3000:3000 -v "$PWD/models:/models:ro" sentiment
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:24-bookworm-slim
ENV NODE_ENV=production MODEL_URI=/models/default/model.sntm PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/cli/bin.js", "serve", "--host", "0.0.0.0", "--port", "3000"]
