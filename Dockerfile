# genesys-mock: built with the Swift toolchain the project is built and tested with (6.3), run on slim Debian.
# Plain Dockerfile syntax: `docker build`, `docker compose build` and `docker-compose build` all build it,
# with or without BuildKit.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# 1. Dependencies, in their own layer: resolved and built (release, static stdlib, the flags of step 2) against
#    stub targets, so editing the sources never rebuilds Hummingbird, NIO, GRDB or swift-crypto.
#    Package.resolved is copied when there is one, so the image gets the versions you tested.
COPY Package.swift Package.resolve[d] ./
RUN for t in RecordingsDomain DocumentCodecs MockStore GenesysMock; do \
      mkdir -p "Sources/$t" && echo 'public enum Stub {}' > "Sources/$t/Stub.swift"; done \
 && mkdir -p Sources/GenesysMock/Resources Sources/GenesysMockCLI Tests/RecordingsDomainTests Tests/GenesysMockTests \
 && echo '{}' > Sources/GenesysMock/Resources/openapi.json \
 && echo 'print("stub")' > Sources/GenesysMockCLI/main.swift \
 && echo '' > Tests/RecordingsDomainTests/Stub.swift && echo '' > Tests/GenesysMockTests/Stub.swift \
 && swift package resolve \
 && swift build -c release --static-swift-stdlib --product genesys-mock \
 && rm -rf Sources

# 2. The mock itself. Its DWARF is stripped (190 MB → the size below); the symbol table stays, so the static
#    backtracer copied beside it names the functions of a crash.
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product genesys-mock \
 && bin="$(swift build -c release --show-bin-path)" \
 && mkdir -p /out \
 && cp -R "$bin"/*.resources /out/ \
 && strip --strip-debug -o /out/genesys-mock "$bin/genesys-mock" \
 && cp /usr/libexec/swift/linux/swift-backtrace-static /out/

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 libxml2 curl ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
# The server never runs as root: docker/entrypoint.sh drops to the owner of the data folder (your uid when
# ./data is bind-mounted and yours) or, when that folder belongs to root, to this user. `user:` in compose
# or `docker run --user` skips that step. GENESYS_UID/GENESYS_GID set this user's ids at build time.
ARG GENESYS_UID=1000
ARG GENESYS_GID=1000
RUN groupadd --gid "$GENESYS_GID" genesys \
 && useradd --uid "$GENESYS_UID" --gid "$GENESYS_GID" --home-dir /app --no-create-home --shell /usr/sbin/nologin genesys
WORKDIR /app
COPY --from=build /out/ /app/
COPY fixtures /app/fixtures
COPY docker/entrypoint.sh /usr/local/bin/genesys-mock-entrypoint
RUN mkdir -p /app/data && chown genesys:genesys /app/data
ENV GENESYS_MOCK_HOST=0.0.0.0 GENESYS_MOCK_DATA=/app/data GENESYS_MOCK_FIXTURES=/app/fixtures \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static
EXPOSE 8080 9000
VOLUME /app/data
# Healthy = ready: /__admin/health answers 200 only once migrations and fixtures are loaded.
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=5 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${GENESYS_MOCK_PORT:-8080}/__admin/health" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["genesys-mock-entrypoint"]
CMD ["serve"]
