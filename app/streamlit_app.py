"""rapor's app: monthly complaint-handling scorecards of SKPD and ASN.

Entry point (`streamlit run app/streamlit_app.py`, or `rapor app --home DIR`): page config,
the language choice, the navigation over the pages in app_pages/, and the snapshot footer.
The snapshot is `$RAPOR_HOME/serving/rapor.duckdb`.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from app import ui
from app.i18n import DEFAULT_LANGUAGE, LANG_KEY, LANGUAGES, t

st.set_page_config(page_title="rapor", page_icon=":material/assignment:", layout="wide")

st.sidebar.selectbox(
    t("lang.label"),
    list(LANGUAGES),
    index=list(LANGUAGES).index(DEFAULT_LANGUAGE),
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
]
page = st.navigation(pages)
ui.sidebar_footer(snapshot)
try:
    page.run()
except duckdb.Error as exc:  # a snapshot that lacks what this page needs: say so, no traceback
    st.error(t("error.data", error=str(exc).splitlines()[0]), icon=":material/error:")
