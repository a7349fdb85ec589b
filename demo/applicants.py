"""Who asks, for the demo and the seed cases alike: one register and one way to make more.

``data/applicants.toml`` lists the named applicants (natural persons, passport holders,
organisations) that the demo's scenarios and the seed ledger refer to by name, and the pools from
which the seed cases' other natural persons are drawn. Applicant and identity types are the keys
of ``cases``; the registration service validates every identity number.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, NamedTuple

from cases import vocabulary
from cases.identity import resident_id_check_char
from cases.models import IdType
from demo import datafiles

NATURAL_PERSON = "natural_person"
APPLICANT_TYPES = frozenset(key for key, _label in vocabulary.APPLICANT_TYPE_CHOICES)


class Applicant(NamedTuple):
    name: str
    applicant_type: str
    id_type: str
    id_number: str
    phone: str = ""
    address: str = ""
    postal_code: str = ""
    email: str = ""

    def case_fields(self) -> dict[str, str]:
        """The applicant's part of the arguments of ``cases.services.case_register``."""
        return {
            "applicant_type": self.applicant_type,
            "applicant_name": self.name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "contact_phone": self.phone,
            "contact_email": self.email,
            "contact_address": self.address,
            "postal_code": self.postal_code,
        }


class Region(NamedTuple):
    """Where a generated person lives: the region code opens the identity number."""

    code: str
    place: str
    postal_code: str
    streets: tuple[str, ...]


def _listed(entry: dict[str, Any]) -> Applicant:
    applicant = Applicant(
        name=entry["name"],
        applicant_type=entry["type"],
        id_type=entry["id_type"],
        id_number=entry["id_number"],
        phone=entry.get("phone", ""),
        address=entry.get("address", ""),
        postal_code=entry.get("postal_code", ""),
        email=entry.get("email", ""),
    )
    if applicant.applicant_type not in APPLICANT_TYPES or applicant.id_type not in IdType.values:
        raise ValueError(f"applicants.toml: {applicant.name}: unknown applicant or identity type")
    return applicant


_DATA = datafiles.read("applicants.toml")
REGISTER: dict[str, Applicant] = {entry["name"]: _listed(entry) for entry in _DATA["applicant"]}
_POOLS = _DATA["generated"]
SURNAMES: str = _POOLS["surnames"]
MALE_NAMES: tuple[str, ...] = tuple(_POOLS["male_names"])
FEMALE_NAMES: tuple[str, ...] = tuple(_POOLS["female_names"])
MOBILE_PREFIXES: tuple[str, ...] = tuple(_POOLS["mobile_prefixes"])
REGIONS: tuple[Region, ...] = tuple(
    Region(r["code"], r["place"], r["postal_code"], tuple(r["streets"])) for r in _POOLS["region"]
)


def named(name: str) -> Applicant:
    """The listed applicant of that name."""
    try:
        return REGISTER[name]
    except KeyError:
        raise KeyError(f"{name} is not in demo/data/applicants.toml") from None


class PersonGenerator:
    """Distinct natural persons drawn with ``rng``: a name, a resident identity card issued in
    the region they live in, a mobile number, and an e-mail address if they asked for one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()

    def next(self, *, with_email: bool) -> Applicant:
        rng = self.rng
        male = rng.random() < 0.55
        while True:
            name = rng.choice(SURNAMES) + rng.choice(MALE_NAMES if male else FEMALE_NAMES)
            if name not in self.names:
                self.names.add(name)
                break
        region = rng.choice(REGIONS)
        birth = dt.date(rng.randint(1950, 1997), rng.randint(1, 12), rng.randint(1, 28))
        sex_digit = rng.choice("13579" if male else "02468")
        first17 = f"{region.code}{birth:%Y%m%d}{rng.randint(0, 99):02d}{sex_digit}"
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 10**8 - 1):08d}"
        address = f"{region.place}{rng.choice(region.streets)}{rng.randint(1, 399)}号"
        if rng.random() < 0.5:
            address += f"{rng.randint(1, 30)}号楼{rng.randint(1, 28)}0{rng.randint(1, 6)}室"
        email = f"{rng.randint(10**7, 10**10)}@mail.example.com" if with_email else ""
        return Applicant(
            name=name,
            applicant_type=NATURAL_PERSON,
            id_type=IdType.RESIDENT_ID.value,
            id_number=first17 + resident_id_check_char(first17),
            phone=phone,
            address=address,
            postal_code=region.postal_code,
            email=email,
        )
