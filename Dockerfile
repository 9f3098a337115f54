# wxfeed as a container: the build stage makes the npm package from this checkout; the runtime stage installs that
# package with production dependencies only, as anyone installing it from the tarball would, into a small image.
#
# The project's machines have no container engine, so this image is not built or run there. What it runs is tested
# instead: test/pack.test.ts, on every `npm test`, does the runtime stage's steps outside a container: the same pack
# and install (offline there, over the project's own production dependencies, where this stage downloads them), the
# ENTRYPOINT's first start and the CMD as the unprivileged user in a data folder, and the HEALTHCHECK's command.

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: bundling needs esbuild's binary package only, and the native module is built in the runtime stage.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm pack --ignore-scripts --pack-destination /pkg

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/wxfeed
COPY --from=build /pkg/ /tmp/pkg/
# better-sqlite3 fetches its prebuilt binary for this Node and platform here (node:20-slim has no compiler).
RUN npm install --omit=dev --no-audit --no-fund /tmp/pkg/wxfeed-*.tgz \
 && rm -rf /tmp/pkg /root/.npm \
 && ln -s /opt/wxfeed/node_modules/.bin/wxfeed /usr/local/bin/wxfeed \
 && mkdir /data && chown node:node /data

# The store, the output, the URL file and the config live in /data, owned by the image's unprivileged user.
VOLUME /data
WORKDIR /data
USER node
EXPOSE 8080
# The config's server.port; change both together.
HEALTHCHECK --interval=1m --timeout=5s --start-period=1m \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# First start: the shipped config/docker.yaml becomes /data/config/wxfeed.yaml, which every command then finds from
# /data (`docker compose exec wxfeed wxfeed follow URL` too).
ENTRYPOINT ["sh", "-c", "mkdir -p config dumps && { [ -e config/wxfeed.yaml ] || cp /opt/wxfeed/node_modules/wxfeed/config/docker.yaml config/wxfeed.yaml; } && exec wxfeed \"$@\"", "wxfeed"]
CMD ["daemon"]
