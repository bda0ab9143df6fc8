"""The server files in deploy/: the Compose file is valid (checked with Debian's
docker-compose: images cannot be pulled here, so it is validated, not run) and the systemd
units restart what crashes and keep Rasa on loopback."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yml"
SECRETS = {
    "TROLY_RASA_TOKEN": "t" * 32,
    "TROLY_POSTGRES_PASSWORD": "p" * 32,
    "TROLY_CLAIM_SECRET": "c" * 32,
    "TROLY_JWT_SECRET": "j" * 32,
}


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("TROLY_REQUIRE_COMPOSE"):
            pytest.fail("docker-compose is required (scripts/install_compose.sh)")
        pytest.skip("docker-compose not installed (make deploy-check installs it)")
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [binary, "-f", str(COMPOSE), *args], env={**clean, **env},
        capture_output=True, text=True, timeout=60,
    )


def locked(lock: str, package: str) -> str:
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if line.startswith(f"{package}=="):
            return line.split("==", 1)[1]
    raise AssertionError(f"{package} not in {lock}")


def test_the_compose_file_is_valid_with_its_secrets_set() -> None:
    result = compose("config", env=SECRETS)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert set(services) >= {"postgres", "redis", "chroma", "actions", "rasa", "gateway"}
    assert services["rasa"]["image"] == f"rasa/rasa:{locked('rasa.lock.txt', 'rasa')}-full"
    assert "bot/endpoints.scaled.yml" in services["rasa"]["command"]
    # only the gateway is published, and only on loopback (the reverse proxy is in front)
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"gateway"}
    assert all(str(p).startswith("127.0.0.1:") for p in services["gateway"]["ports"]) or all(
        p.get("host_ip") == "127.0.0.1" for p in services["gateway"]["ports"]
    )


def test_the_actions_image_is_the_official_rasa_sdk_at_the_locked_version() -> None:
    dockerfile = (ROOT / "deploy" / "actions.Dockerfile").read_text()
    assert f"FROM rasa/rasa-sdk:{locked('app.lock.txt', 'rasa-sdk')}" in dockerfile


def test_without_a_secret_the_compose_file_refuses_to_render() -> None:
    missing = {k: v for k, v in SECRETS.items() if k != "TROLY_POSTGRES_PASSWORD"}
    result = compose("config", env=missing)
    assert result.returncode != 0
    assert "TROLY_POSTGRES_PASSWORD" in result.stderr


@pytest.mark.parametrize("unit", ["troly-actions", "troly-rasa", "troly-gateway"])
def test_systemd_units_restart_on_failure_and_report_a_crash_loop(unit: str) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(ROOT / "deploy" / "systemd" / f"{unit}.service")
    service = parser["Service"]
    assert service["Restart"] == "on-failure"
    assert int(service["StartLimitBurst"]) >= 3 and int(service["StartLimitIntervalSec"]) > 0
    assert service["EnvironmentFile"] == "/etc/tro-ly-06/env"  # secrets from the environment
    if unit == "troly-rasa":
        assert "--interface 127.0.0.1" in service["ExecStart"]
