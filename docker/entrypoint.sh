#!/bin/sh
# Starts genesys-mock as a non-root user, as PID 1 (exec), so SIGTERM reaches it and it stops gracefully.
# Started as root (the image's default), it only picks that user: the owner of the data folder, so a
# bind-mounted ./data that is yours keeps files owned by you; if the folder belongs to root (Docker created a
# missing ./data), it is handed to the image's user `genesys`. Started as someone else (compose `user:`,
# `docker run --user`), it runs as given.
set -eu
data="${GENESYS_MOCK_DATA:-/app/data}"
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$data"
  uid=$(stat -c %u "$data")
  gid=$(stat -c %g "$data")
  if [ "$uid" = 0 ]; then
    uid=$(id -u genesys)
    gid=$(id -g genesys)
    chown -R "$uid:$gid" "$data"
  fi
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups /app/genesys-mock "$@"
fi
exec /app/genesys-mock "$@"
