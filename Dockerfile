# syntax=docker/dockerfile:1
# One image per service: docker build --build-arg SERVICE=intake -t cit-platform/intake .
# docker-compose's dev issuer, topic provisioning and Kafka users/ACLs use the tools target (--target tools).
#
# Layers, so that a source change rebuilds only what it has to:
#   manifests  package.json + package-lock.json of the root and every workspace, nothing else
#   deps       npm ci on those manifests: cached until a manifest or the lock file changes
#   build      sources on top of deps, nx build
#   prod-deps  deps without dev dependencies (also cached with the manifests)
#   runtime    production node_modules, the SERVICE's dist and the libs' dist (without the dev issuer): no sources, no tests
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
# The workspace globs of package.json ("libs/*", "services/*", "e2e"); a new glob there needs one here.
# This stage reruns on every source change, but its output only changes with a manifest, so the
# COPY --from below (checksummed by content) keeps the npm ci layer cached.
RUN mkdir /manifests \
 && cp --parents package.json package-lock.json libs/*/package.json services/*/package.json e2e/package.json /manifests/

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NPM_CONFIG_UPDATE_NOTIFIER=false
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund

FROM deps AS prod-deps
# Workspace links (node_modules/@cit/* -> libs/*, services/*) stay; the runtime supplies their dist.
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf node_modules/.cache

FROM deps AS build
COPY . .
RUN npx nx run-many -t build --outputStyle=static --parallel=2 \
 && mkdir -p /out \
 && for project in libs/* services/*; do \
      mkdir -p "/out/$project" && cp "$project/package.json" "/out/$project/" && cp -R "$project/dist" "/out/$project/"; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

FROM ${NODE_IMAGE} AS base
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
# Workspace manifests (and any workspace-local production node_modules npm had to nest), then dist.
COPY --from=prod-deps /app/libs ./libs
COPY --from=build /out/libs ./libs
# The development issuer never ships in a service image (libs/auth loads it lazily, so nothing
# else needs it); the tools target copies it back.
RUN rm -rf libs/auth/dist/dev-issuer
COPY infra/docker/healthcheck.cjs infra/docker/

# Tools for docker-compose, never deployed: the dev OIDC issuer (docker-compose.dev.yml; keys in a
# volume at .local/dev-issuer; nx.json marks the root it looks for), topic provisioning and the
# Kafka users/ACLs renderer (infra/kafka). The only image that holds libs/auth's dev-issuer.
FROM base AS tools
COPY --from=build /out/libs/auth/dist/dev-issuer ./libs/auth/dist/dev-issuer
COPY nx.json ./
COPY infra/docker/dev-issuer.cjs infra/docker/
COPY infra/provision/ infra/provision/
COPY infra/kafka/kafka-security.mjs infra/kafka/kafka-acls.cjs infra/kafka/consumers.json infra/kafka/
COPY libs/contracts/src/topic-expansion.cjs libs/contracts/src/topics.manifest.json libs/contracts/src/
COPY infra/local/demo/department.json infra/local/demo/
# Owned by node so the named volumes mounted here (dev issuer keys, the rendered Kafka setup) are writable.
RUN mkdir -p /app/.local/dev-issuer /kafka-init && chown -R node:node /app/.local /kafka-init
USER node

# The service image (default target, so it stays last).
FROM base AS runtime
ARG SERVICE=intake
COPY --from=prod-deps /app/services/${SERVICE} ./services/${SERVICE}
COPY --from=build /out/services/${SERVICE} ./services/${SERVICE}
USER node
ENV SERVICE=${SERVICE}
EXPOSE 3001 3002 3003 3004 3005
HEALTHCHECK --interval=10s --timeout=5s --start-period=40s --retries=6 CMD ["node", "infra/docker/healthcheck.cjs", "/health/ready"]
# Migrations first (creates the database cit_<service> if missing), then the service.
CMD ["sh", "-c", "node services/${SERVICE}/dist/migrate.js && exec node services/${SERVICE}/dist/main.js"]
