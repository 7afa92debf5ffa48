"""ASVS 5.0 V7.4.3 and V6.2.8 (docs/security.md): a password change ends every other session,
the changer gets fresh tokens, and a password is checked exactly as it was typed."""

from __future__ import annotations

from services.identity.tests.factories import PASSWORD, Harness

NEW_PASSWORD = "  a fine passphrase, spaces kept  "


async def test_a_password_change_ends_every_other_session_and_keeps_the_password_as_typed(
    identity: Harness,
) -> None:
    school = await identity.school()
    member = await identity.member(school.id, "staff", "teacher")
    login = member.account.login
    phone, laptop = [(await identity.login(login, PASSWORD)).json() for _ in range(2)]

    def bearer(pair: dict[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {pair['access_token']}"}

    changed = await identity.client.post(
        "/identity/v1/me/password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(phone),
    )
    assert changed.status_code == 200, changed.text
    fresh = changed.json()

    for old in (phone, laptop):
        me = await identity.client.get("/identity/v1/me", headers=bearer(old))
        assert me.status_code == 401, me.text
        refreshed = await identity.client.post(
            "/identity/v1/token/refresh", json={"refresh_token": old["refresh_token"]}
        )
        assert refreshed.status_code == 401, refreshed.text
    assert (await identity.client.get("/identity/v1/me", headers=bearer(fresh))).status_code == 200

    assert (await identity.login(login, NEW_PASSWORD)).status_code == 200
    for near in (NEW_PASSWORD.strip(), NEW_PASSWORD + " ", NEW_PASSWORD.upper(), PASSWORD):
        assert (await identity.login(login, near)).status_code == 401, repr(near)
