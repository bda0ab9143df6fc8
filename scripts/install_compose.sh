#!/usr/bin/env bash
# Installs Debian's docker-compose (1.29) to validate deploy/compose.yml (`docker-compose
# config` parses and checks the file; no Docker engine is needed or used). Idempotent; never
# fails the build: the compose test then skips, unless TROLY_REQUIRE_COMPOSE=1 makes it fail.
set -u
if command -v docker-compose >/dev/null 2>&1; then
    echo "install_compose: $(command -v docker-compose) already installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install_compose: WARNING not root and no sudo; cannot install docker-compose" >&2
        exit 0
    fi
fi
if $SUDO apt-get update -qq \
    && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; then
    echo "install_compose: installed $(command -v docker-compose)"
else
    echo "install_compose: WARNING apt-get install docker-compose failed" >&2
fi
exit 0
