"""The limits of a dispute, each a setting `GOVERNANCE_<name>` with the rule's default (docs/governance.md names
them). All are natural days (日): the start day is not counted and a period ending on a rest day ends on the next
working day (民法典 第二百零一条–第二百零三条; the workflow clocks count so, grassroots/workflow/clock_counting.py).
"""

from django.conf import settings

# name: (default, source)
DEFAULTS: dict[str, tuple[int, str]] = {
    "MEDIATION_DAYS": (30, "人民调解工作若干规定 第三十三条：一般在一个月内调结"),
    "MEDIATION_EXTENSION_DAYS": (
        30,
        "宁波市人民调解条例 第二十七条（地方）：当事人同意的可以延长，以一次为限",
    ),
    "CONFIRMATION_DAYS": (30, "人民调解法 第三十三条：自调解协议生效之日起三十日内共同申请司法确认"),
}


def limit(name: str) -> int:
    """A limit's value: the setting `GOVERNANCE_<name>` if there is one, else the rule's default."""
    default, _source = DEFAULTS[name]
    return int(getattr(settings, f"GOVERNANCE_{name}", default))


def source(name: str) -> str:
    return DEFAULTS[name][1].split("：")[0]
