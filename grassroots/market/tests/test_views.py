from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.audit.models import AuditEntry

from ..models import MarketEntity
from .support import make_entity, people, uscc


def test_the_list_shows_a_grid_worker_their_grid_and_searches_by_name_and_code(world):
    make_entity(world, 1, name="红菱村便利店")
    make_entity(world, 2, name="鸦鹊村饭店", in_grid_b=True)
    client = world.client_for(world.alice)
    page = client.get(reverse("market:entities")).content.decode()
    assert "红菱村便利店" in page and "鸦鹊村饭店" not in page

    petra = world.client_for(people(world)["petra"])
    assert "鸦鹊村饭店" in petra.get(reverse("market:entities"), {"q": "饭店"}).content.decode()
    by_code = petra.get(reverse("market:entities"), {"q": uscc(1)}).content.decode()
    assert "红菱村便利店" in by_code and "鸦鹊村饭店" not in by_code


def test_the_list_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(30):
        make_entity(world, n, in_grid_b=bool(n % 2))
    client = world.client_for(people(world)["ivan"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("market:entities"), {"risk": "A"})
    assert response.status_code == 200


def test_an_entity_out_of_scope_answers_404_and_the_page_masks_the_phone_for_a_grid_worker(world):
    mine = make_entity(world, 1)
    other = make_entity(world, 2, in_grid_b=True)
    client = world.client_for(world.alice)
    assert client.get(reverse("market:entity", args=[other.pk])).status_code == 404
    page = client.get(reverse("market:entity", args=[mine.pk])).content.decode()
    assert "139****1234" in page and "13905731234" not in page


def test_the_inspector_sees_the_phone_the_read_is_audited_but_may_not_override(world):
    entity = make_entity(world, 1)
    client = world.client_for(people(world)["ivan"])
    page = client.get(reverse("market:entity", args=[entity.pk])).content.decode()
    assert "13905731234" in page and "override-form" not in page
    assert AuditEntry.objects.filter(action="personal_data.read", object_id=str(entity.pk)).exists()
    refused = client.post(
        reverse("market:risk_override", args=[entity.pk]), {"risk_class": "D", "reason": "x"}
    )
    assert refused.status_code == 403


def test_the_coordinator_overrides_the_class_with_a_reason(world):
    entity = make_entity(world, 1)
    client = world.client_for(people(world)["petra"])
    url = reverse("market:risk_override", args=[entity.pk])
    client.post(url, {"risk_class": "C", "reason": ""})
    entity.refresh_from_db()
    assert entity.risk_class == "A"
    client.post(url, {"risk_class": "C", "reason": "群众多次投诉"})
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_override_reason) == ("C", "群众多次投诉")


def test_the_import_page_lists_the_bad_rows_and_imports_a_good_file(world):
    client = world.client_for(people(world)["ivan"])
    url = reverse("market:import")
    bad = f"统一社会信用代码,名称\n{uscc(1)},好店\n{uscc(2)[:-1]}0,坏店\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("e.csv", bad, "text/csv")})
    assert response.status_code == 422
    assert "第 3 行" in response.content.decode() and "未导入任何内容" in response.content.decode()
    assert not MarketEntity.objects.exists()

    good = f"统一社会信用代码,名称\n{uscc(1)},好店\n{uscc(2)},坏店已改\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("e.csv", good, "text/csv")})
    assert response.status_code == 302
    assert MarketEntity.objects.count() == 2


def test_a_grid_worker_may_not_import(world):
    assert world.client_for(world.alice).get(reverse("market:import")).status_code == 403
