"""POST /timers/batch: up to 1,000 timers at once, all or none, errors per item."""

from datetime import timedelta

import pytest
from django.utils import timezone

from timers.models import Timer


def item(n: int, *, in_secs: float = 3600, **overrides):
    body = {"execute_at": (timezone.now() + timedelta(seconds=in_secs)).isoformat(),
            "callback_url": f"https://hooks.example.com/{n}", "metadata": {"n": n}}  # fmt: skip
    body.update(overrides)
    return body


def test_a_batch_creates_every_timer_in_order_and_sends_the_near_ones(
    api, sent, django_capture_on_commit_callbacks
):
    timers = [item(n) for n in range(5)] + [item(5, in_secs=1)]

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/timers/batch", {"timers": timers}, format="json")

    assert response.status_code == 201, response.json()
    created = response.json()["data"]["timers"]
    assert [t["callback_url"] for t in created] == [t["callback_url"] for t in timers]
    assert {t["status"] for t in created} == {"pending"}
    stored = {str(t.pk): t for t in Timer.objects.all()}
    assert set(stored) == {t["id"] for t in created}
    assert [stored[t["id"]].metadata for t in created] == [{"n": n} for n in range(6)]
    assert [str(c.pk) for c in sent] == [created[5]["id"]]  # due within the lookahead: sent now


def test_one_bad_item_refuses_the_whole_batch_with_its_errors_at_its_index(api, sent):
    timers = [item(0), item(1, callback_url="ftp://nowhere"), item(2), item(3, max_attempts=0)]

    response = api.post("/timers/batch", {"timers": timers}, format="json")

    assert response.status_code == 400
    errors = response.json()["data"]["errors"]["timers"]  # by index, the bad items only
    assert set(errors) == {"1", "3"} and "callback_url" in errors["1"] and "max_attempts" in errors["3"]
    assert response.json()["message"].startswith("timers: 1: callback_url:")
    assert Timer.objects.count() == 0 and sent == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"timers": []}, "timers"),
        ({"timers": "x"}, "timers"),
        ({}, "timers"),
        ({"timers": [item(0)], "x": 1}, "x"),
    ],
)
def test_a_batch_that_is_not_a_list_of_timers_is_refused(api, body, says):
    response = api.post("/timers/batch", body, format="json")
    assert response.status_code == 400 and says in response.json()["message"]
    assert Timer.objects.count() == 0


def test_a_thousand_timers_fit_in_one_batch_and_more_are_refused(api):
    assert (
        api.post("/timers/batch", {"timers": [item(n) for n in range(1000)]}, format="json").status_code
        == 201
    )
    Timer.objects.all().delete()
    response = api.post("/timers/batch", {"timers": [item(n) for n in range(1001)]}, format="json")
    assert response.status_code == 400 and "1000" in response.json()["message"]
    assert Timer.objects.count() == 0


def test_a_batch_needs_a_key_and_belongs_to_its_tenant(api, other_api, client):
    assert (
        client.post("/timers/batch", {"timers": [item(0)]}, content_type="application/json").status_code
        == 401
    )
    created = api.post("/timers/batch", {"timers": [item(0)]}, format="json").json()["data"]["timers"][0]
    assert other_api.get(f"/timers/{created['id']}").status_code == 404


def test_a_batch_stores_each_timer_as_a_single_create_stores_it(api, sent):
    body = item(0, callback_headers={"X-Trace": "1"}, callback_payload={"a": [1]}, max_attempts=5)
    single = api.post("/timers", body, format="json").json()["data"]["id"]
    batch = [item(1), body, item(2, in_secs=1)]
    created = api.post("/timers/batch", {"timers": batch}, format="json").json()["data"]["timers"]

    own = {"id", "dispatch_token", "created_at", "updated_at"}
    columns = [f.attname for f in Timer._meta.concrete_fields if f.attname not in own]
    stored = {str(row["id"]): row for row in Timer.objects.values("id", *own, *columns)}
    assert {c: stored[created[1]["id"]][c] for c in columns} == {c: stored[single][c] for c in columns}
    rows = [stored[t["id"]] for t in created]
    assert len({row["id"] for row in rows} | {row["dispatch_token"] for row in rows}) == 6  # each its own
    assert len({row["created_at"] for row in rows}) == 1 and rows[0]["created_at"] == rows[0]["updated_at"]
    assert [row["lease_until"] is not None for row in rows] == [False, False, True]  # the near one is leased
    assert [row["max_attempts"] for row in rows] == [3, 5, 3] and rows[0]["callback_headers"] == {}
