"""Upgrading a database written before pending outcomes were unknown: its pending calls lose the
"not subscribed" label they were given, the resolved ones keep theirs."""

from datetime import date

import sqlalchemy as sa
from alembic import command

from chaos.infrastructure.db import schema
from chaos.infrastructure.db.tables import marketing

ROW = {
    "date": date(2009, 3, 2),
    "balance": 10,
    "duration_contact": 60,
    "nb_contact": 1,
    "nb_day_last_contact": -1,
    "nb_contact_last_campaign": 0,
}


def test_the_upgrade_unlabels_pending_calls_only(engine):
    with engine.begin() as connection:
        command.downgrade(schema._config(connection), "0002")
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.insert(marketing),
                [
                    {**ROW, "id": 1, "outcome": "En Attente", "subscription": False},
                    {**ROW, "id": 2, "outcome": "Refus", "subscription": False},
                    {**ROW, "id": 3, "outcome": "Souscrit", "subscription": True},
                ],
            )
    finally:
        schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    with engine.connect() as connection:
        labels = connection.execute(
            sa.select(marketing.c.id, marketing.c.subscription).order_by(marketing.c.id)
        )
        assert labels.all() == [(1, None), (2, False), (3, True)]
