"""Personal data is masked by role, and every unmasked read is in the audit log."""

from grassroots.audit.models import AuditEntry


def test_a_village_worker_sees_colleagues_masked(world):
    body = world.client_for(world.bob).get(f"/api/v1/people/{world.alice.pk}").json()
    assert body["name"] == "王*丽"
    assert body["phone"] == "138****5678"
    assert body["id_number"] == "110***********002X"


def test_masked_reads_write_no_read_audit_rows(world):
    world.client_for(world.bob).get(f"/api/v1/people/{world.alice.pk}")
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


def test_an_operator_sees_personal_data_and_the_read_is_audited(world):
    response = world.client_for(world.oscar).get(f"/api/v1/people/{world.alice.pk}", REMOTE_ADDR="10.1.2.3")
    body = response.json()
    assert body["name"] == "王丽丽"
    assert body["phone"] == "13812345678"
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert entry.actor == world.oscar
    assert entry.object_id == str(world.alice.pk)
    assert entry.ip == "10.1.2.3"
    assert entry.request_id == response["X-Request-ID"]
    assert entry.detail["fields"] == ["id_number", "name", "phone"]


def test_everyone_sees_their_own_data_unmasked(world):
    body = world.client_for(world.alice).get("/api/v1/people/me").json()
    assert body["name"] == "王丽丽"
