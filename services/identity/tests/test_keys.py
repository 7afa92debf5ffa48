"""The signing key ring: several keys published, the newest signs, rotation without downtime."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
import pytest
from sqlalchemy import select

from kit.clock import FixedClock
from services.identity.adapters import keyring
from services.identity.adapters.cipher import SecretBox
from services.identity.models import SigningKey
from services.identity.settings import IdentitySettings
from services.identity.tests.factories import PASSWORD


async def test_rotation_publishes_first_signs_later_and_retires_spent_keys(
    make_identity: Any,
) -> None:
    async with make_identity() as identity:
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        ring = identity.collaborators.keyring
        old_token = (await identity.login(member.account.login, PASSWORD)).json()["access_token"]
        old_kid = jwt.get_unverified_header(old_token)["kid"]
        now = dt.datetime.now(dt.UTC)

        async with identity.db.unit_of_work() as session:
            rotation = await keyring.rotate(
                session,
                identity.collaborators.box,
                now,
                activation_delay=dt.timedelta(minutes=1),
                token_lifetime=dt.timedelta(minutes=15),
            )
        await ring.refresh()
        published = {
            k["kid"]
            for k in (await identity.client.get("/identity/.well-known/jwks.json")).json()["keys"]
        }
        assert published == {old_kid, rotation.new_kid}
        still_old = (await identity.login(member.account.login, PASSWORD)).json()["access_token"]
        assert jwt.get_unverified_header(still_old)["kid"] == old_kid

        identity.runtime.clock = FixedClock(now + dt.timedelta(minutes=2))
        await ring.refresh()
        new_token = (await identity.login(member.account.login, PASSWORD)).json()["access_token"]
        assert jwt.get_unverified_header(new_token)["kid"] == rotation.new_kid
        for token in (old_token, new_token):  # no downtime: both verify
            me = await identity.client.get(
                "/identity/v1/me", headers={"Authorization": f"Bearer {token}"}
            )
            assert me.status_code == 200

        later = now + dt.timedelta(minutes=1 + 15 + 2)
        async with identity.db.unit_of_work() as session:
            retired = await keyring.retire_superseded(session, later, dt.timedelta(minutes=15))
            rows = (
                (await session.execute(select(SigningKey).where(SigningKey.kid == old_kid)))
                .scalars()
                .all()
            )
        assert retired == [old_kid] and rows[0].private_key == ""
        await ring.refresh()
        published = {k["kid"] for k in (await ring.jwks())["keys"]}
        assert published == {rotation.new_kid}


async def test_private_keys_are_encrypted_at_rest(make_identity: Any) -> None:
    async with make_identity() as identity:
        await identity.collaborators.keyring.jwks()
        async with identity.db.read_only() as session:
            row = (await session.execute(select(SigningKey))).scalars().first()
            assert row is not None
            kid, sealed, public = row.kid, row.private_key, row.public_jwk
        assert "d" not in public
        with pytest.raises(ValueError, match="EJ_IDENTITY_KEY_SECRET"):
            SecretBox("another-secret-of-enough-length-0123456789").open(sealed, purpose=kid)
        assert len(identity.collaborators.box.open(sealed, purpose=kid)) == 32


def test_the_distributed_mode_needs_a_real_key_secret() -> None:
    with pytest.raises(ValueError, match="EJ_IDENTITY_KEY_SECRET"):
        IdentitySettings(mode="distributed", identity_key_secret=None)
    with pytest.raises(ValueError, match="32"):
        IdentitySettings(mode="distributed", identity_key_secret="short")
    assert IdentitySettings(mode="embedded").key_secret
