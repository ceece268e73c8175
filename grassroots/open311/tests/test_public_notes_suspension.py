"""The public is told of a suspension in fixed words: the kind's label, never the staff's free text."""

from grassroots.events.models import Transition
from grassroots.open311.selectors import public_note


def note(action: str, to: str, **data: object) -> str:
    return public_note(Transition(action=action, to_status=to, note="内部说明：当事人住院", data=data))


def test_suspension_steps_are_told_in_fixed_words():
    assert note("request_suspension", "signed", kind="party") == "承办单位申请暂停办理"
    assert note("decide_suspension", "suspended", approve=True, kind="party") == (
        "因当事人原因暂停办理，期间不计入办理时限"
    )
    assert (
        note("decide_suspension", "signed", approve=False, kind="party") == "承办单位的暂停办理申请未获批准"
    )
    assert note("resume", "signed") == "已恢复办理"
    assert "住院" not in note("decide_suspension", "suspended", approve=True, kind="bogus")
