"""rapor's app: monthly complaint-handling scorecards of SKPD and ASN.

Entry point (`streamlit run app/streamlit_app.py`, or `rapor app --home DIR`): page config,
the language choice, the navigation over the pages in app_pages/, and the snapshot footer.
The snapshot is `$RAPOR_HOME/serving/rapor.duckdb`. A link may choose the language with
?lang=id|en (the definition links do: they open in a new tab, a new session).
"""

from __future__ import annotations

import duckdb
import streamlit as st

from app import metric_docs, ui
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

snapshot = ui.snapshot_or_stop()

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
        "app_pages/definisi.py",
        title=t("page.definitions"),
        icon=":material/menu_book:",
        url_path=metric_docs.PAGE,
    ),
]
page = st.navigation(pages)
ui.sidebar_footer(snapshot)
try:
    page.run()
except duckdb.Error as exc:  # a snapshot that lacks what this page needs: say so, no traceback
    st.error(t("error.data", error=str(exc).splitlines()[0]), icon=":material/error:")
