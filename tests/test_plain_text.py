"""Citizen text is text (issue 18, item 5), in a real browser: a complaint whose title,
description and event note hold Markdown image links and an <img> pointing at a local HTTP
server, an officer and a unit with such names; opening the case page and the officer's
profile makes no request to that server, and the literal text is on the page."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from app import ui
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, edit_csv
from tests.test_browser import launch_chromium, serve_app
from tests.test_browser_roles import GRID_CELLS, _settled

NIP = "199001012015032002"  # Budi (DPU), who resolved C1 in April 2025
MONTH = "2025-04"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


class Beacon:
    """A local HTTP server that answers every GET with a 1x1 PNG and keeps the paths."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def beacon():
    server = Beacon()
    yield server
    server.server.shutdown()


@pytest.fixture(scope="module")
def planted(beacon, tmp_path_factory) -> dict[str, str]:
    """Kota Uji with remote images in complaint C1's text, Budi's name and DPU's name."""
    b = beacon.url
    texts = {
        "title": f'Jalan ![t]({b}/title.png) <img src="{b}/title-html.png"> **rusak**',
        "description": f"Lubang ![d]({b}/desc.png) [klik]({b}/link) :red[merah] $x^2$",
        "note": f'dicek ![n]({b}/note.png) <img src="{b}/note-html.png">',
        "officer": f"Budi ![o]({b}/officer.png)",
        "unit": f'Dinas PU <img src="{b}/unit.png"> :material/home: _miring_',
    }
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("plain") / "home")
    edit_csv(home.root / "sources/s1/complaints.csv", "source_id", "title", {"C1": texts["title"]})
    edit_csv(home.root / "sources/s1/complaints.csv", "source_id", "description",
          {"C1": texts["description"]})  # fmt: skip
    edit_csv(
        home.root / "sources/s1/events.csv",
        "source_id",
        "note",
        {"C1": texts["note"]},
        where=lambda row: row["event_type"] == "responded",
    )
    edit_csv(home.root / "reference/officers.csv", "nip", "name", {NIP: texts["officer"]})
    edit_csv(home.root / "reference/units.csv", "unit_code", "name", {"DPU": texts["unit"]})
    run_pipeline(home)
    return {**texts, "root": str(home.root)}


@pytest.mark.browser
@pytest.mark.timeout(400)
def test_no_remote_fetch_and_the_literal_text_is_shown(beacon, planted, tmp_path):
    log = tmp_path / "server.log"
    root = Path(planted["root"])
    with (
        serve_app(root, log, env_drop=("RAPOR_REQUIRE_SIGNIN",)) as url,
        launch_chromium() as browser,
    ):
        context = browser.new_context(viewport={"width": 2400, "height": 1400},
                                      locale="id-ID")  # fmt: skip
        page = context.new_page()
        page.goto(f"{url}/kasus?case=s1:C1", wait_until="domcontentloaded")
        case_text = _settled(page, "Kasus")
        case_cells = {
            cell
            for i in range(page.locator('[data-testid="stDataFrame"]').count())
            for cell in page.locator('[data-testid="stDataFrame"]').nth(i).evaluate(GRID_CELLS)
        }
        # the tables' own CSV download (cells as they are: no formula neutralised) is off
        # (app/.streamlit/config.toml)
        page.locator('[data-testid="stDataFrame"]').first.hover()
        page.wait_for_timeout(500)
        table_buttons = page.locator('[data-testid="stElementToolbarButton"]').count()
        table_downloads = page.locator(
            '[data-testid="stElementToolbarButton"] [aria-label*="ownload"], '
            '[data-testid="stElementToolbarButton"][aria-label*="ownload"], '
            'button[aria-label*="Download as CSV"]'
        ).count()
        page.goto(f"{url}/profil_pegawai?nip={NIP}&month={MONTH}",
                  wait_until="domcontentloaded")  # fmt: skip
        profile_text = _settled(page, "Profil pegawai")
        images = page.locator("img[src^='http://127.0.0.1']").count()
        context.close()
    assert beacon.hits == []
    assert images == 0
    assert table_buttons > 0 and table_downloads == 0  # the toolbar shows, without download
    # ui.plain keeps bare URLs unlinked with an invisible word joiner: not part of the text
    case_text, profile_text = (x.replace(ui.WORD_JOINER, "") for x in (case_text, profile_text))
    assert planted["title"] in case_text
    assert planted["description"] in case_text
    assert planted["note"] in case_cells
    assert planted["officer"] in profile_text
    assert planted["unit"] in profile_text


def test_plain_escapes_every_markdown_construct():
    """A backslash before every character that opens a construct, the colon as an entity
    (Streamlit's :directives[] and :material/ icons), a word joiner that keeps bare web
    addresses unlinked, line breaks as spaces; plain names unchanged."""
    wj = ui.WORD_JOINER
    assert ui.plain("![x](http://h:1/a.png)") == rf"\!\[x\](http&#58;{wj}//h&#58;1/a.png)"
    assert ui.plain('<img src="u"> & <b>') == r'\<img src\="u"\> \& \<b\>'
    assert ui.plain(":red[a] :material/home: $x$ *b* _c_ `d` ~e~ |f|\n# h") == (
        r"&#58;red\[a\] &#58;material/home&#58; \$x\$ \*b\* \_c\_ \`d\` \~e\~ \|f\| \# h"
    )
    assert ui.plain("1. Jalan") == r"1\. Jalan" and ui.plain("- x") == r"\- x"
    assert ui.plain("www.x.id a@b.id") == f"www{wj}.x.id a\\@b.id"
    assert ui.plain("Budi Santoso, S.T. (DPU) 2026.4") == "Budi Santoso, S.T. (DPU) 2026.4"
    assert ui.plain(None) == ""
