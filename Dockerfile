# Avlasta's image for the Temporal worker, the bot worker and the API server (see docker-compose.yml).
# Chromium is Debian's package, driven by playwright-core: nothing downloads a browser at build time.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# Compilers only in this stage, in case better-sqlite3 has no prebuilt binary for the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Compiles the TypeScript sources to dist/ (npm run build). Emitting needs TypeScript only, so the
# packages' install scripts (native builds) are skipped here; nothing of this stage but dist/ ships.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium-headless-shell fonts-liberation fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    AVLASTA_CHROMIUM=/usr/lib/chromium/chromium-headless-shell \
    AVLASTA_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The repository's files the code reads at run time (server/static, server/openapi.yaml, ...) are
# found from the package root, so they come along; the code itself runs from dist/.
COPY . .
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "dist/cli/avlasta.js", "serve", "--host", "0.0.0.0", "--port", "8080"]
