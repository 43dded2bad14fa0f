"""A client generated from /openapi.json with openapi-python-client (installed by the test
extra: no network) round-trips a check: typed request model in, typed answer model out, over
a real httpx client against the app (ASGI transport, no server). And every JSON answer in the
schema is an object model with its required fields marked."""

import asyncio
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from keicar.web.app import create_app

APP = create_app()


@pytest.fixture(scope="module")
def openapi():
    return TestClient(APP).get("/openapi.json").json()


@pytest.fixture(scope="module")
def generated(openapi, tmp_path_factory):
    """The generated package ``keicar_client``, importable for the module's tests."""
    tmp = tmp_path_factory.mktemp("client")
    (tmp / "openapi.json").write_text(json.dumps(openapi), encoding="utf-8")
    (tmp / "config.yaml").write_text("post_hooks: []\n", encoding="utf-8")  # no formatter run
    tool = Path(sys.executable).with_name("openapi-python-client")
    res = subprocess.run([str(tool), "generate", "--path", str(tmp / "openapi.json"), "--meta", "none",
                          "--config", str(tmp / "config.yaml"), "--output-path", str(tmp / "keicar_client")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    sys.path.insert(0, str(tmp))
    try:
        yield importlib.import_module("keicar_client")
    finally:
        sys.path.remove(str(tmp))
        for name in [m for m in sys.modules if m == "keicar_client" or m.startswith("keicar_client.")]:
            del sys.modules[name]


def _client(generated):
    import httpx

    client = generated.Client(base_url="http://keicar.test")
    client.set_async_httpx_client(httpx.AsyncClient(transport=httpx.ASGITransport(app=APP),
                                                    base_url="http://keicar.test"))
    return client


def test_a_generated_client_round_trips_a_check(generated):
    from keicar_client.api.vehicle import check_v1_check_post
    from keicar_client.models import CheckAnswer, CheckRequest, Error

    body = CheckRequest(built="1999-05", body="truck", length_mm=3395, width_mm=1475, height_mm=1765, cc=658,
                        state="GA", on="2026-11-30")

    async def ask(request):
        return await check_v1_check_post.asyncio(client=_client(generated), body=request)

    answer = asyncio.run(ask(body))
    assert isinstance(answer, CheckAnswer)
    assert answer.kei.is_kei is True and isinstance(answer.us.importable, bool)
    assert answer.us.nhtsa_eligible_from == "2024-05-31" and answer.us.path == "25-year"
    assert answer.kei.checks[1].passed is True and answer.kei.checks[1].citation
    assert answer.state.code == "GA" and answer.state.status == "prohibited"
    assert "state_title" not in [p.item for p in answer.papers.items]
    assert answer.papers.state.citations == ["Ga. DOR Policy Bulletin MVD-2023-05"]
    bad = asyncio.run(ask(CheckRequest(built="1999-13", body="truck")))
    assert isinstance(bad, Error) and bad.field == "built"


def test_every_json_answer_is_an_object_model_with_required_fields(openapi):
    schemas = openapi["components"]["schemas"]
    seen = []
    for path, operations in openapi["paths"].items():
        for method, op in operations.items():
            for status, response in op["responses"].items():
                content = response.get("content", {}).get("application/json")
                if content is None:
                    continue
                ref = content["schema"].get("$ref")
                assert ref, (method, path, status, content["schema"])  # a model, never a bare string
                model = schemas[ref.rsplit("/", 1)[1]]
                assert model["type"] == "object" and model.get("required"), (method, path, status)
                if status == "200":
                    assert {"keicar_version", "law_version"} <= set(model["required"]), (method, path)
                    seen.append(path)
    assert {"/v1/check", "/v1/screen", "/v1/variables", "/v1/parameters/{path}", "/v1/changes"} <= set(seen)
    assert schemas["Kei"]["properties"]["is_kei"]["type"] == "boolean" and "is_kei" in schemas["Kei"]["required"]
