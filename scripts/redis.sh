#!/usr/bin/env bash
# Debian's redis-server for the scaled profile (Rasa's Redis lock store; `make run-scaled`).
#
#   scripts/redis.sh install   apt-get install redis-server if missing (idempotent; exits 0
#                              with a warning when it cannot be installed)
#   scripts/redis.sh check     exit 0 when redis-server is installed
#
# The server itself is started by scripts/stack.py (loopback only, no persistence) and
# supervised like the other services.
set -u
case "${1:-}" in
    check) command -v redis-server >/dev/null 2>&1 ;;
    install)
        if command -v redis-server >/dev/null 2>&1; then
            echo "redis.sh: $(command -v redis-server) already installed"; exit 0
        fi
        SUDO=""
        if [ "$(id -u)" -ne 0 ]; then
            if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
                echo "redis.sh: WARNING not root and no sudo; cannot install redis-server" >&2
                exit 0
            fi
        fi
        if $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq redis-server >/dev/null; then
            echo "redis.sh: installed $(command -v redis-server)"
        else
            echo "redis.sh: WARNING apt-get install redis-server failed" >&2
        fi
        exit 0 ;;
    *) echo "usage: scripts/redis.sh install|check" >&2; exit 2 ;;
esac
