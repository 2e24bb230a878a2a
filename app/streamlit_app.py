"""rapor's app: monthly complaint-handling scorecards of SKPD and ASN.

Entry point (`streamlit run app/streamlit_app.py`, or `rapor app --home DIR`): page config,
the language choice, the navigation over the pages in app_pages/, and the snapshot footer.
When the latest quality gate failed (serving/quality.duckdb), every page says that
publication is blocked and since when the shown snapshot dates; Mutu data says why.
The snapshot is `$RAPOR_HOME/serving/rapor.duckdb`. A link may choose the language with
?lang=id|en (the definition links do: they open in a new tab, a new session).
With DIR/users.yaml, nothing but the sign-in form shows until a user signs in (app/auth.py,
docs/access.md); the sidebar then names the user and has the sign-out button.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from app import auth, data, metric_docs, ui
from app.i18n import DEFAULT_LANGUAGE, LANG_KEY, LANGUAGES, t

st.set_page_config(page_title="rapor", page_icon=":material/assignment:", layout="wide")

if LANG_KEY not in st.session_state:  # the first run of a session: a link may set it
    asked = st.query_params.get(LANG_KEY)
    st.session_state[LANG_KEY] = asked if asked in LANGUAGES else DEFAULT_LANGUAGE
st.sidebar.selectbox(
    t("lang.label"),
    list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    key=LANG_KEY,
)

quality_page = st.Page(
    "app_pages/mutu.py",
    title=t("page.quality"),
    icon=":material/fact_check:",
    url_path="mutu",
)
pages = [
    st.Page(
        "app_pages/ikhtisar.py",
        title=t("page.overview"),
        icon=":material/dashboard:",
        url_path="ikhtisar",
        default=True,
    ),
    st.Page(
        "app_pages/pegawai.py",
        title=t("page.officers"),
        icon=":material/groups:",
        url_path="pegawai",
    ),
    st.Page(
        "app_pages/profil_pegawai.py",
        title=t("page.profile"),
        icon=":material/person:",
        url_path="profil_pegawai",
    ),
    st.Page(
        "app_pages/kasus.py",
        title=t("page.case"),
        icon=":material/description:",
        url_path="kasus",
    ),
    st.Page(
        "app_pages/rekomendasi.py",
        title=t("page.recommendations"),
        icon=":material/recommend:",
        url_path="rekomendasi",
    ),
    st.Page(
        "app_pages/inspektorat.py",
        title=t("page.inspectorate"),
        icon=":material/policy:",
        url_path="inspektorat",
    ),
    st.Page(
        "app_pages/definisi.py",
        title=t("page.definitions"),
        icon=":material/menu_book:",
        url_path=metric_docs.PAGE,
    ),
    quality_page,
]
user = auth.gate(pages)  # with a users file: sign in first (docs/access.md)

try:  # the gate writes its own file, also when it blocked the (first) publication
    gate = data.latest_gate()
    gate_error = None
except duckdb.Error as exc:
    gate, gate_error = None, str(exc).splitlines()[0]
blocked = gate is not None and not gate.passed
if blocked:
    try:
        data.locate()
    except data.SnapshotUnavailable:  # nothing was ever published: say why, then stop
        st.warning(
            t("q.banner_no_snapshot", checks=", ".join(gate.failed_checks)), icon=":material/block:"
        )
snapshot = ui.snapshot_or_stop()

page = st.navigation(pages)
ui.sidebar_footer(snapshot)
if gate_error:
    st.warning(t("q.unreadable", error=ui.plain(gate_error)), icon=":material/error:")
elif blocked and page.url_path != quality_page.url_path:  # the quality page says it in full
    published = ui.fmt_timestamp(data.info(snapshot).get("published_at"))
    st.warning(
        t("q.banner", checks=", ".join(gate.failed_checks), published=published),
        icon=":material/block:",
    )
    st.page_link(quality_page, label=t("q.open"), icon=":material/fact_check:")
try:
    page.run()
except duckdb.Error as exc:  # a snapshot that lacks what this page needs: say so, no traceback
    error = ui.plain(str(exc).splitlines()[0])
    st.error(t("error.data", error=error), icon=":material/error:")
