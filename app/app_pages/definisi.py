"""Definisi metrik: docs/metrics.md in the current language, with the policy in force.

Every number in the app links here (`definisi?lang=id#resolution_rate`): each definition's
heading carries its anchor, so the browser opens the page at that definition. Works
offline: the document ships with the app."""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

from app import data, metric_docs, ui
from app.i18n import language, t

st.title(t("page.definitions"))
st.caption(t("def.caption"))

parts = ui.doc_sections(language())
if not parts:
    st.warning(t("def.missing", path=metric_docs.DOC_PATH), icon=":material/description:")
    st.stop()


def _policy_rows(node: object, prefix: str = "") -> list[tuple[str, str]]:
    """policy.yaml as flat (dotted.key, value) rows."""
    if isinstance(node, dict):
        return [r for k, v in node.items() for r in _policy_rows(v, f"{prefix}{k}.")]
    value = ", ".join(map(str, node)) if isinstance(node, list) else str(node)
    return [(prefix.rstrip("."), value)]


# the policy in force: the document quotes the defaults
try:
    snap = data.locate()
except data.SnapshotUnavailable:
    snap = None
if snap is not None:
    rules = data.policy(snap)
    with st.expander(t("def.policy", version=rules.version or "?"), icon=":material/policy:"):
        if rules.source != "snapshot":
            st.caption(t("def.policy_missing"))
        raw = {k: v for k, v in rules.raw.items() if k != "version"}
        rows = _policy_rows(json.loads(json.dumps(raw, sort_keys=True)))
        st.dataframe(
            pl.DataFrame(rows, schema=["parameter", "value"], orient="row"),
            hide_index=True,
            key="policy_table",
            column_config={
                "parameter": st.column_config.TextColumn(t("def.parameter")),
                "value": st.column_config.TextColumn(t("def.value")),
            },
        )

topics = [s for s in parts if s.level == 3 and s.anchor]
with st.expander(t("def.contents"), icon=":material/toc:"):
    st.markdown("\n".join(f"- [{metric_docs.plain_title(s.title)}](#{s.anchor})" for s in topics))

for section in parts:
    if section.level == 3:
        st.header(section.title, anchor=section.anchor or False)
    elif section.level >= 4:
        st.subheader(section.title, anchor=section.anchor or False)
    elif section.level == 1:
        continue  # the document's title: the page has its own
    if section.body:
        st.markdown(section.body)

# Streamlit scrolls to the #anchor of the URL when that heading appears, but the page may
# then not yet be long enough below it to bring it to the top. Once everything above this
# element is on the page, scroll there again (our own script, no user input in it).
st.html(
    """<script>
    (() => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const target = id && document.getElementById(id);
      if (target) requestAnimationFrame(() => target.scrollIntoView(true));
    })();
    </script>""",
    unsafe_allow_javascript=True,
)
