"""Every lecture notebook in Voila (presentation mode) in a real Chromium: no code shown, no error
output, the widgets rendered, an arrow key on the first explorer's slider changes its figure, and
a screenshot lands in test-artifacts/browser/. Also the server's token and address.

All tests of this module run in one pytest process, on one Voila server.
"""

import pytest
from checks import NOTEBOOKS, check_loopback_only, check_page


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if not n.startswith("exercises/")])
def test_notebook_in_voila(voila, artifacts, name):
    page = voila.open(name)
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor").count() == 0, "Voila must not show code"
    check_page(page, name, "voila", artifacts)


def test_voila_server_refuses_requests_without_the_token(voila_server):
    first = next(n for n in NOTEBOOKS if not n.startswith("exercises/"))
    assert voila_server.status(f"/voila/render/{first}", token=False) in (302, 401, 403)
    assert voila_server.status("/", token=False) in (302, 401, 403)


def test_voila_server_listens_on_loopback_only(voila_server):
    check_loopback_only(voila_server)
