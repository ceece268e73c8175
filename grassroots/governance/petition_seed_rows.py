"""The seeds' figures of 信访 beside the numbers computed from the records, for `manage.py seed_figures`: seed 000
(西塘镇) writes 受理信访310余件 and 接办县长电话1000余个."""

from grassroots.core.scope import code_prefix_q
from grassroots.core.seed_figures import NO_RECORDS, SeedRow
from grassroots.core.seed_figures import register as register_rows

from .models import Petition
from .petition_choices import PetitionStatus

XITANG = "330421102"  # seed 000: 西塘镇
NOT_ACCEPTED = (PetitionStatus.REGISTERED, PetitionStatus.NOT_ACCEPTED, PetitionStatus.TRANSFERRED,
                PetitionStatus.RETURNED, PetitionStatus.JOINED)  # fmt: skip


def register() -> None:
    register_rows(seed_rows)


def seed_rows() -> list[SeedRow]:
    from grassroots.events.models import Event

    rows = Petition.objects.filter(code_prefix_q("township__code", XITANG))
    total = rows.count()
    accepted = rows.exclude(status__in=NOT_ACCEPTED).count()
    calls = Event.objects.filter(code_prefix_q("region_code", XITANG), source="mayor_line").count()
    return [
        SeedRow(
            "000",
            "西塘镇受理信访",
            "310余件",
            f"{accepted:,}" if total else NO_RECORDS,
            f"西塘镇（330421102）信访办受理的信访件（登记 {total:,} 件，其余不予受理、转送、退回或合并）"
            if total
            else "",
        ),
        SeedRow(
            "000",
            "西塘镇接办县长电话",
            "1000余个",
            f"{calls:,}" if calls else NO_RECORDS,
            "西塘镇（330421102）来源为“县长电话”的事件（由指挥室登记）" if calls else "",
        ),
    ]
