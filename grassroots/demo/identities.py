"""Made-up but well-formed personal data: Chinese names, mobile numbers and resident ID numbers."""

import datetime as dt
import random
from dataclasses import dataclass

from grassroots.core.checkdigits import id_number_check_char

from .names import DISTRICT_CODE, GIVEN_FEMALE, GIVEN_MALE, PHONE_PREFIXES, SURNAMES

# Ages are counted from a fixed day so the same seed gives the same birthdates in any year.
REFERENCE_DAY = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Identity:
    name: str
    phone: str
    id_number: str
    male: bool


class IdentityMaker:
    """Draws identities from one random stream; phone and ID numbers are unique within a maker."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        self._weights = [w for _, w in SURNAMES]
        self._phones: set[str] = set()
        self._ids: set[str] = set()

    def make(self, *, min_age: int = 25, max_age: int = 58) -> Identity:
        male = self.rng.random() < 0.55
        return Identity(
            name=self._name(male),
            phone=self._phone(),
            id_number=self._id_number(male, min_age, max_age),
            male=male,
        )

    def _name(self, male: bool) -> str:
        surname = self.rng.choices(self._surnames, self._weights)[0]
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        length = 2 if self.rng.random() < 0.7 else 1
        return surname + "".join(self.rng.choice(pool) for _ in range(length))

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def _id_number(self, male: bool, min_age: int, max_age: int) -> str:
        """An 18-digit GB 11643 number: Jiashan area code, birthdate, sequence (odd for men), check digit."""
        while True:
            age_days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 300)
            birth = REFERENCE_DAY - dt.timedelta(days=age_days)
            sequence = self.rng.randrange(1000)
            if sequence % 2 != male:
                sequence = (sequence + 1) % 1000
            body = f"{DISTRICT_CODE}{birth:%Y%m%d}{sequence:03d}"
            number = body + id_number_check_char(body)
            if number not in self._ids:
                self._ids.add(number)
                return number
