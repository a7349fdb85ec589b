"""The container set-up: Dockerfile and docker-compose.yml (production shape).

No Docker engine is needed: the compose file is checked with ``docker-compose config``, which
validates the schema and interpolates variables. Without the docker-compose binary these tests
skip, except in CI (REQUIRE_SERVICES=1), where a missing binary is an error.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

REQUIRED_VARS = ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD")
SECRET_KEY = "sentinel-secret-key-for-compose-test"
DB_PASSWORD = "sentinel-db-password"
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture
def compose(tmp_path):
    """compose(*args, with_secrets=True) -> CompletedProcess of docker-compose on our file."""
    binary = shutil.which("docker-compose")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("docker-compose is not installed, but REQUIRE_SERVICES=1 needs it")
        pytest.skip("docker-compose is not installed")
    # An empty env file, so that a developer's .env cannot supply the required variables.
    env_file = tmp_path / "empty.env"
    env_file.write_text("")

    def run(*args, with_secrets=True):
        # Neither the secrets nor the test run's own DJANGO_* settings leak into interpolation.
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in REQUIRED_VARS and not k.startswith("DJANGO_")
        }
        if with_secrets:
            env.update(DJANGO_SECRET_KEY=SECRET_KEY, POSTGRES_PASSWORD=DB_PASSWORD)
        return subprocess.run(
            [binary, "--env-file", str(env_file), "-f", str(COMPOSE_FILE), "config", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_compose_file_is_valid_and_complete(compose):
    quiet = compose("-q")
    assert quiet.returncode == 0, quiet.stderr

    result = compose()
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]

    assert set(services) >= {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["db"].get("volumes"), "db must keep its data in a volume"
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    assert "pgdata" in config.get("volumes", {})

    for name in ("db", "redis", "web"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} needs a healthcheck"
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])

    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on", {})
        for dependency in ("db", "redis"):
            assert depends_on.get(dependency, {}).get("condition") == "service_healthy", (
                f"{name} must wait for {dependency} to be healthy"
            )
        environment = services[name]["environment"]
        assert environment["DJANGO_SECRET_KEY"] == SECRET_KEY
        assert environment["DATABASE_URL"] == (
            f"postgres://disclosure:{DB_PASSWORD}@db:5432/disclosure"
        )
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert environment["DJANGO_ALLOWED_HOSTS"]
        # Production is HTTPS behind a proxy unless the operator says otherwise.
        assert environment["DJANGO_SECURE_SSL_REDIRECT"] == "true"
        assert environment["DJANGO_SECURE_COOKIES"] == "true"
        assert environment["DJANGO_CACHE_URL"].startswith("redis://redis:6379/")
    assert services["db"]["environment"]["POSTGRES_PASSWORD"] == DB_PASSWORD

    assert "8000" in str(services["web"]["ports"])
    assert "migrate" in " ".join(services["web"]["command"])
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    # The year-end export files outlive the containers that write them.
    for name in ("web", "worker"):
        assert any(v.startswith("media:/app/var/media") for v in services[name]["volumes"])
        assert services[name]["environment"]["DJANGO_MEDIA_ROOT"] == "/app/var/media"
    assert "media" in config["volumes"]


def test_compose_file_holds_no_secrets():
    text = COMPOSE_FILE.read_text()
    assert "${DJANGO_SECRET_KEY:?" in text
    assert "${POSTGRES_PASSWORD:?" in text
    assert SECRET_KEY not in text and DB_PASSWORD not in text

    raw = yaml.safe_load(text)
    for name, service in raw["services"].items():
        environment = service.get("environment") or {}
        for key in REQUIRED_VARS:
            if key in environment:
                assert environment[key].startswith(f"${{{key}:?"), f"{name}.{key} is literal"
        if "DATABASE_URL" in environment:
            password = re.match(r"postgres://[^:]+:(.*)@db:", environment["DATABASE_URL"])
            assert password and password.group(1).startswith("${POSTGRES_PASSWORD:?")


def test_compose_requires_secrets(compose):
    result = compose("-q", with_secrets=False)
    assert result.returncode != 0
    assert "must be set" in result.stderr


def test_dockerfile():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11", text, re.MULTILINE)
    assert re.search(r"pip install .*-r requirements\.txt", text)
    assert "collectstatic --noinput" in text
    assert re.search(r"^USER (?!root)\S+", text, re.MULTILINE), "the image must not run as root"
    assert "gunicorn" in text and "config.wsgi:application" in text
    assert "0.0.0.0:8000" in text
    # The build-time secret key is inline for one RUN, never persisted with ENV or ARG.
    instructions = re.sub(r"\\\n", " ", text).splitlines()
    for line in instructions:
        assert not re.match(r"\s*(ENV|ARG)\b.*DJANGO_SECRET_KEY", line), line
