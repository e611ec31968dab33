"""The served record's uses outside serving: what chaos told about a contact, and the retention purge."""

from datetime import date, datetime, timedelta

from chaos.domain.served_record import ServedRecord, ServedScore


def what_was_served(
    record: ServedRecord, contact_id: int, contact_date: date | None = None
) -> list[ServedScore]:
    """Every score served for `contact_id` (on `contact_date` only, if given), oldest first."""
    return record.of_contact(contact_id, contact_date)


def purge_expired(record: ServedRecord, retention_days: int, now: datetime) -> int:
    """Remove the records served more than `retention_days` before `now`; how many went."""
    return record.purge(now - timedelta(days=retention_days))
