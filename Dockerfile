# genesys-mock: build with the official Swift image, run on a slim Debian.
FROM swift:6.2-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product genesys-mock \
 && mkdir -p /out \
 && cp "$(swift build -c release --show-bin-path)/genesys-mock" /out/ \
 && cp -R "$(swift build -c release --show-bin-path)"/*.resources /out/

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 libxml2 curl ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/ /app/
COPY fixtures /app/fixtures
# Runs as root so that a bind-mounted ./data is writable whoever owns it on the host.
RUN mkdir -p /app/data
ENV GENESYS_MOCK_HOST=0.0.0.0 GENESYS_MOCK_DATA=/app/data GENESYS_MOCK_FIXTURES=/app/fixtures
EXPOSE 8080 9000
HEALTHCHECK --interval=5s --timeout=2s --start-period=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/__admin/health || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/genesys-mock"]
CMD ["serve"]
