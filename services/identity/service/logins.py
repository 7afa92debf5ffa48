"""Logins: transliterated from a person's names, unique in the whole city (R-SEC-2).

A generated login is `<surname>.<initials>` in Latin letters (the transliteration of Russian
passports, ICAO Doc 9303), e.g. Иванова Анна Петровна → `ivanova.ap`; the next namesake
gets `ivanova.ap2`, then `ivanova.ap3`… A login an administrator chooses instead must match
`LOGIN_PATTERN`. Logins are compared in lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from kit.errors import Invalid

LOGIN_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{2,31}$")
MAX_SURNAME = 20

# fmt: off
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
}
# fmt: on


def transliterate(text: str) -> str:
    """Lower-case Latin letters and digits only: everything else is dropped."""
    out = []
    for char in text.casefold():
        if char in _TRANSLIT:
            out.append(_TRANSLIT[char])
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append("".join(c for c in plain if c.isascii() and c.isalnum()))
    return "".join(out)


def login_base(last_name: str, first_name: str, middle_name: str | None) -> str:
    surname = transliterate(last_name)[:MAX_SURNAME] or "user"
    initials = "".join(transliterate(n)[:1] for n in (first_name, middle_name or "") if n)
    base = f"{surname}.{initials}" if initials else surname
    if not base[0].isalpha():
        base = f"u{base}"
    return base if len(base) >= 3 else f"{base}.u"


def candidates(base: str) -> Iterator[str]:
    """`base`, `base2`, `base3`, … without end."""
    yield base
    number = 2
    while True:
        yield f"{base}{number}"
        number += 1


def first_free(base: str, taken: Callable[[str], bool]) -> str:
    """The first candidate nobody holds (`taken` answers for one login, in lower case)."""
    for candidate in candidates(base):
        if not taken(candidate):
            return candidate
    raise AssertionError("unreachable: candidates never end")


def normalize_chosen(login: str) -> str:
    """A login chosen by an administrator: lower-cased and checked."""
    value = login.strip().lower()
    if not LOGIN_PATTERN.fullmatch(value):
        raise Invalid(
            "a login is 3–32 characters: Latin letters, digits, '.', '_' or '-', "
            "starting with a letter",
            code="invalid_login",
        )
    return value
