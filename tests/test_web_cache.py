"""What depends only on the law version and the date asked is rendered once and kept: the
same bytes again, bounded; the map carries an ETag (304 when the client has it); bad dates
are still refused and nothing is kept for them."""

import asyncio

from fastapi.testclient import TestClient

from keicar.web.app import Rendered, create_app


def test_the_map_has_an_etag_and_answers_304():
    client = TestClient(create_app())
    first = client.get("/v1/map.svg?on=2026-11-30")
    assert first.status_code == 200 and first.headers["etag"].endswith('-2026-11-30"')
    assert first.headers["cache-control"] == "public, max-age=86400"
    again = client.get("/v1/map.svg?on=2026-11-30", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/v1/map.svg?on=2023-01-01", headers={"if-none-match": first.headers["etag"]})
    assert other.status_code == 200 and other.content != first.content  # Georgia changed that day
    assert client.get("/v1/map.svg").headers["cache-control"] == "public, max-age=300"  # today: until midnight


def test_kept_answers_are_the_same_and_errors_are_not_kept():
    app = create_app()
    client = TestClient(app)
    for url in ("/v1/states?on=2026-11-30", "/v1/states/GA?on=2026-11-30", "/v1/variables?on=2026-11-30"):
        a, b = client.get(url), client.get(url)
        assert a.status_code == b.status_code == 200 and a.content == b.content
        assert a.headers["content-type"] == "application/json" and a.json()["law_version"]
    assert client.get("/v1/states/GA?on=2022-12-31").json()["status"] == "unclear"  # another date, another answer
    for _ in range(2):
        bad = client.get("/v1/states/ZZ")
        assert bad.status_code == 422 and bad.json()["field"] == "state"


def test_the_store_is_bounded_and_computes_a_miss_once():
    store, calls = Rendered(size=3), []

    def make(i):
        calls.append(i)
        return str(i).encode()

    async def run():
        for i in [1, 2, 1, 3, 4, 1]:
            assert await store.get((i,), lambda i=i: make(i)) == str(i).encode()

    asyncio.run(run())
    assert calls == [1, 2, 3, 4] and len(store.kept) == 3 and (2,) not in store.kept
