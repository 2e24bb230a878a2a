"""The one resource the assets share: the rapor home (config, policy, warehouse)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import dagster as dg

from pipelines.home import Home
from pipelines.policy import Policy, load_policy
from pipelines.warehouse import connect


class RaporHome(dg.ConfigurableResource):
    """A tenant's home folder; the path comes from $RAPOR_HOME unless given."""

    path: str

    @property
    def home(self) -> Home:
        return Home.resolve(self.path)

    def policy(self) -> Policy:
        home = self.home
        return load_policy(home.policy_file if home.policy_file.exists() else None)

    @contextmanager
    def warehouse(self):
        """The read-write warehouse connection (one writer at a time: pool `warehouse`)."""
        home = self.home
        home.ensure_dirs()
        con = connect(home.warehouse_path)
        try:
            yield con
        finally:
            con.close()

    def now_local(self) -> dt.datetime:
        return self.home.tenant.now_local()

    def as_of_date(self) -> dt.date:
        tenant = self.home.tenant
        return dt.date.fromisoformat(tenant.as_of) if tenant.as_of else self.now_local().date()

    def sql_params(self) -> dict:
        """Parameters every SQL file may name: tenant, clock and policy values."""
        tenant = self.home.tenant
        return {
            "tenant": tenant.code,
            "tz": tenant.timezone,
            "now": self.now_local(),
            "as_of_date": self.as_of_date(),
            **self.policy().sql_params(),
        }


def home_resource() -> RaporHome:
    return RaporHome(path=dg.EnvVar("RAPOR_HOME"))
