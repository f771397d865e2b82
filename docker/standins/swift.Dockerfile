# Stand-in for the official Swift image, for machines that reach no image registry (scripts/docker-standins).
# Debian (itself a stand-in from debootstrap) + the Debian packages the official bookworm image carries for
# building + this machine's Swift toolchain + this machine's Swift package mirror, reached the way this
# machine's git reaches it (url.<mirror>.insteadOf https://github.com/), so `swift build` resolves offline.
# Context (streamed by the script): swift/usr = a lean copy of /opt/swift/usr, swift-packages = the mirror.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      binutils ca-certificates git libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libncurses-dev \
      libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config tzdata unzip zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
COPY swift/usr/ /usr/
COPY swift-packages/ /opt/swift-packages/
RUN git config --system url./opt/swift-packages/.insteadOf https://github.com/ \
 && git config --system --add url./opt/swift-packages/.insteadOf git@github.com: \
 && git config --system --add url./opt/swift-packages/.insteadOf ssh://git@github.com/ \
 && swift --version
LABEL org.opencontainers.image.description="local stand-in for the official Swift image (no registry here)"
CMD ["bash"]
