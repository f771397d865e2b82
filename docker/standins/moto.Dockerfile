# Stand-in for motoserver/moto, for machines that reach no image registry (scripts/docker-standins).
# Debian (a stand-in from debootstrap) + Python 3 + moto[server]'s wheels, downloaded from PyPI on the host
# (the context's wheels/ folder), installed without an index. Same entrypoint and port as the real image.
FROM debian:bookworm-slim AS wheels
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
COPY wheels/ /wheels/
ARG MOTO_VERSION
RUN python3 -m venv /opt/moto \
 && /opt/moto/bin/pip install --no-index --find-links /wheels --no-cache-dir "moto[server]==${MOTO_VERSION}"

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=wheels /opt/moto /opt/moto
ENV PATH=/opt/moto/bin:$PATH
RUN ln -s /opt/moto/bin/moto_server /usr/local/bin/moto_server
LABEL org.opencontainers.image.description="local stand-in for motoserver/moto (no registry here)"
EXPOSE 5000
ENTRYPOINT ["/usr/local/bin/moto_server", "-H", "0.0.0.0"]
