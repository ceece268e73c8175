"""The petition pages by the test client: the queue in scope with its filters and lights, the registration form
(refusing six representatives of a visit and writing nothing), the petition page with the petitioners whole for
the office (audited) and masked for others, the forms of exactly the steps the viewer may take, a stale form
refused, and 404 out of scope."""

from grassroots.audit.models import AuditEntry

from ..models import Petition
from .petition_support import build_office, register


def test_the_queue_shows_the_petitions_in_scope_with_their_light_and_filters(world):
    o = build_office(world)
    a = register(o)
    b = register(o, village=world.village_b, channel="letter", title="反映道路破损")
    page = world.client_for(o.xia).get("/governance/petitions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "反映道路破损" in text and 'data-light="green"' in text and "张三丰" not in text
    letters = world.client_for(o.xia).get("/governance/petitions/", {"channel": "letter"}).content.decode()
    assert f"/governance/petitions/{b.pk}/" in letters and f"/governance/petitions/{a.pk}/" not in letters
    carol = world.client_for(world.carol).get("/governance/petitions/").content.decode()
    assert f"/governance/petitions/{b.pk}/" in carol and f"/governance/petitions/{a.pk}/" not in carol


def test_registration_refuses_six_representatives_and_registers_five(world):
    o = build_office(world)
    xia = world.client_for(o.xia)
    assert xia.get("/governance/petitions/new/").status_code == 200
    form = {
        "unit": o.office.pk,
        "village": world.village_a.pk,
        "channel": "visit",
        "kind": "claim",
        "title": "反映补偿款",
        "content": "要求发放",
        "people_count": "9",
    }
    for i in range(1, 6):
        form[f"name_{i}"] = f"代表{i}"
    made = xia.post("/governance/petitions/new/", form)
    assert made.status_code == 302
    x = Petition.objects.get()
    assert made["Location"] == f"/governance/petitions/{x.pk}/"
    assert x.petitioners.count() == 5 and x.people_count == 9
    assert world.client_for(world.bob).get("/governance/petitions/new/").status_code == 403


def test_the_page_masks_by_role_offers_the_viewers_steps_and_refuses_a_stale_form(world):
    o = build_office(world)
    x = register(o)
    page = world.client_for(o.xia).get(f"/governance/petitions/{x.pk}/").content.decode()
    assert "11010519491231002X" in page and 'data-testid="step-accept"' in page
    assert AuditEntry.objects.filter(action="personal_data.read", object_id=str(x.pk)).count() == 1
    bob = world.client_for(world.bob).get(f"/governance/petitions/{x.pk}/").content.decode()
    assert "张*丰" in bob and "11010519491231002X" not in bob and 'data-testid="no-steps"' in bob
    assert world.client_for(world.carol).get(f"/governance/petitions/{x.pk}/").status_code == 404
    stale = world.client_for(o.xia).post(f"/governance/petitions/{x.pk}/act/accept/", {"version": "9"})
    assert stale.status_code == 422 and "已被他人处理" in stale.content.decode()
    done = world.client_for(o.xia).post(
        f"/governance/petitions/{x.pk}/act/accept/", {"version": "1", "leader_id": o.lena.pk}
    )
    assert done.status_code == 302
    x.refresh_from_db()
    assert x.status == "accepted" and x.leader == o.lena


def test_the_queue_page_takes_the_same_number_of_queries_for_one_row_or_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    o = build_office(world)
    register(o)
    xia = world.client_for(o.xia)
    xia.get("/governance/petitions/")
    with CaptureQueriesContext(connection) as one:
        xia.get("/governance/petitions/")
    for _ in range(4):
        register(o, village=world.village_b)
    with CaptureQueriesContext(connection) as five:
        assert xia.get("/governance/petitions/").content.decode().count('data-testid="petition-row"') == 5
    assert len(five.captured_queries) == len(one.captured_queries) <= 10


def test_a_notice_downloads_after_a_reason_as_a_watermarked_copy_and_the_read_keeps_the_reason(
    world, settings, tmp_path
):
    import io

    from docx import Document

    settings.MEDIA_ROOT = tmp_path
    o = build_office(world)
    x = register(o)
    client = world.client_for(o.xia)
    client.post(f"/governance/petitions/{x.pk}/act/accept/", {"version": "1", "leader_id": o.lena.pk})
    notice = x.documents.get(kind="acceptance")
    url = f"/governance/petitions/{x.pk}/documents/{notice.pk}/"
    asked = client.get(url)
    assert asked.status_code == 200 and "导出事由" in asked.content.decode()
    assert "11010519491231002X" not in asked.content.decode()
    assert client.get(url, {"reason": ""}).status_code == 400
    assert not AuditEntry.objects.filter(detail__reason__isnull=False).exists()
    word = Document(io.BytesIO(client.get(url, {"reason": "送达信访人"}).getvalue()))
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert f"导出人：{o.xia.name}（{o.xia.username}）" in header and "事由：送达信访人" in header
    read = AuditEntry.objects.get(action="personal_data.read", detail__reason="送达信访人")
    assert read.object_id == str(x.pk) and read.detail["purpose"] == "信访文书下载.acceptance"
