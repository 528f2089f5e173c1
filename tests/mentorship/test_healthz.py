"""/healthz tells load balancers whether PostgreSQL and Redis answer."""

import json


def test_healthy_when_database_and_redis_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "redis": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unhealthy_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "redis": "unavailable"}


def test_needs_no_login(client, db):
    assert client.get("/healthz").status_code == 200
