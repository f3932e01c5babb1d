# syntax=docker/dockerfile:1
# One image per service: docker build --build-arg SERVICE=intake -t cit-platform/intake .
# The build and prune stages do not depend on SERVICE, so the five images share them (one build).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NPM_CONFIG_UPDATE_NOTIFIER=false
COPY . .
RUN npm ci --no-audit --no-fund
RUN npx nx run-many -t build --outputStyle=static --parallel=2

FROM build AS prune
# Drop dev dependencies (workspace links to libs/* stay); keep only what the runtime needs.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .nx node_modules/.cache reports coverage

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=prune --chown=node:node /app /app
# Owned by node so a named volume mounted here (dev issuer keys) is writable.
RUN mkdir -p /app/.local/dev-issuer && chown -R node:node /app/.local
USER node
ARG SERVICE=intake
ENV SERVICE=${SERVICE}
EXPOSE 3001 3002 3003 3004 3005
HEALTHCHECK --interval=10s --timeout=5s --start-period=40s --retries=6 CMD ["node", "infra/docker/healthcheck.cjs", "/health/ready"]
# Migrations first (creates the database cit_<service> if missing), then the service.
CMD ["sh", "-c", "node services/${SERVICE}/dist/migrate.js && exec node services/${SERVICE}/dist/main.js"]
