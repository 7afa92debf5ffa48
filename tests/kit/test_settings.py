"""The distributed mode refuses the well-known default credentials on another machine and
names the variable to set; this machine's loopback stays allowed (`make up`, CI)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kit.settings import ServiceSettings, default_s3_keys, is_loopback


def distributed(**values: str) -> ServiceSettings:
    return ServiceSettings(mode="distributed", **values)  # type: ignore[arg-type]


def test_rabbitmq_guest_on_another_host_is_refused_naming_EJ_AMQP_URL() -> None:
    with pytest.raises(ValidationError) as refused:
        distributed(amqp_url="amqp://guest:guest@rabbit.city.example:5672/")
    assert "EJ_AMQP_URL" in str(refused.value)
    assert "guest:guest" in str(refused.value)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "127.0.0.2", "[::1]"], ids=lambda h: h.strip("[]")
)
def test_rabbitmq_guest_on_loopback_is_allowed(host: str) -> None:
    assert distributed(amqp_url=f"amqp://guest:guest@{host}:5672/").amqp_url.startswith("amqp")


def test_the_defaults_start_on_this_machine() -> None:
    settings = distributed()
    assert settings.amqp_url == "amqp://guest:guest@127.0.0.1:5672/"


def test_a_real_broker_user_on_another_host_is_allowed() -> None:
    url = "amqp://ej-platform:Vq8%40long-random@rabbit.city.example:5672/ej"
    assert distributed(amqp_url=url).amqp_url == url


@pytest.mark.parametrize(
    ("variable", "field", "url"),
    [
        ("EJ_POSTGRES_URL", "postgres_url", "postgresql+asyncpg://postgres:postgres@db.city"),
        ("EJ_DATABASE_URL", "database_url", "postgresql+asyncpg://ej:password@10.0.0.5/ej_journal"),
        ("EJ_REDIS_URL", "redis_url", "redis://default:changeme@redis.city:6379/0"),
    ],
)
def test_placeholder_passwords_on_another_host_are_refused_naming_the_variable(
    variable: str, field: str, url: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        distributed(**{field: url})
    assert variable in str(refused.value)


def test_every_refused_variable_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as refused:
        distributed(
            amqp_url="amqp://guest:guest@rabbit.city:5672/",
            redis_url="redis://:password@redis.city:6379/0",
        )
    assert "EJ_AMQP_URL" in str(refused.value) and "EJ_REDIS_URL" in str(refused.value)


def test_the_embedded_mode_is_not_judged() -> None:
    settings = ServiceSettings(amqp_url="amqp://guest:guest@rabbit.city:5672/")
    assert settings.mode == "embedded"


def test_a_password_free_url_is_not_judged() -> None:
    """Certificates, .pgpass or a socket: no password in the URL is not a default one."""
    assert distributed(postgres_url="postgresql+asyncpg://ej@db.city").postgres_url


@pytest.mark.parametrize(
    ("access", "secret"),
    [("minioadmin", "minioadmin"), ("ej-store-a", "ej-store-a-secret"), ("ej", "changeme")],
)
def test_default_s3_keys_on_another_host_are_refused_naming_the_variables(
    access: str, secret: str
) -> None:
    problem = default_s3_keys("EJ_X_", "https://s3.city.example", access, secret)
    assert problem is not None
    assert "EJ_X_ACCESS_KEY" in problem and "EJ_X_SECRET_KEY" in problem


def test_an_endpoint_without_a_scheme_is_judged_by_its_host() -> None:
    assert default_s3_keys("EJ_X_", "s3.city.example:9000", "minioadmin", "minioadmin")
    assert default_s3_keys("EJ_X_", "127.0.0.1:9000", "minioadmin", "minioadmin") is None


def test_default_s3_keys_on_loopback_are_allowed() -> None:
    assert (
        default_s3_keys("EJ_X_", "http://127.0.0.1:18334", "ej-store-a", "ej-store-a-secret")
        is None
    )


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        (None, True),
        ("localhost", True),
        ("127.8.0.1", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("rabbit", False),
        ("0.0.0.0", False),
    ],
)
def test_loopback_is_this_machine_only(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback
