"""Every address a form posts to also opens with GET (issue 14, point 8): a failed save answers at its
form's address, and reopening that address (a reload, Back, a bookmark) leads to its page, never 405."""

import pytest

from tests.conftest import PASSWORD

# Sample values for the rules' variables, so every address can be built.
SAMPLES = {"code": "MT02", "name": "snapshot", "fmt": "svg"}


def post_only_addresses(app) -> list[str]:
    """The web face's addresses that take POST and not GET, with sample values filled in."""
    paths = []
    # A page's GET and POST may be two rules of one address (``@bp.get`` and ``@bp.post``): such an
    # address opens with GET as its page does (and refuses whom the page refuses).
    pages = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api.", "static")) or "POST" not in rule.methods \
                or rule.rule in pages:
            continue
        values = {name: SAMPLES.get(name, 1) for name in rule.arguments}
        paths.append(rule.build(values, append_unknown=False)[1])
    return sorted(paths)


def test_there_are_post_only_addresses_to_check(app):
    assert "/my/entries" in post_only_addresses(app)
    assert "/reports/1/stats" in post_only_addresses(app)


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_every_post_only_address_opens_with_get(app, client, make_user, week, signed_in):
    make_user("admin", "admin")
    if signed_in:
        client.post("/login", data={"username": "admin", "password": PASSWORD})
    for path in post_only_addresses(app):
        path = path.replace("/reports/1/", f"/reports/{week.id}/")
        answer = client.get(path)
        if answer.status_code == 200:
            continue  # the page itself takes the form's POST (its own rule answers GET)
        assert answer.status_code in (302, 303), f"GET {path} answered {answer.status_code}"
        target = answer.headers["Location"]
        assert target != path
        landed = client.get(target, follow_redirects=True)
        assert landed.status_code < 400 or landed.status_code in (403, 404), (path, target)
        assert landed.status_code != 405, (path, target)


def test_a_get_on_a_failed_saves_address_leads_to_its_page(app, client, make_user, week):
    make_user("admin", "admin")
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert client.get(f"/reports/{week.id}/stats").headers["Location"] == f"/reports/{week.id}"
    assert client.get("/items/MT02/entries").headers["Location"] == "/items/MT02"
    assert client.get("/reports/import").headers["Location"] == "/reports"


def test_the_api_still_answers_405_in_json(client):
    answer = client.get("/api/v1/periods/1/stats", headers={"Authorization": "Bearer x"})
    assert answer.status_code != 302


def test_the_language_choice_goes_back_to_its_page(client, make_user):
    make_user("admin", "admin")
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert client.get("/account/language").headers["Location"] == "/account/password"
