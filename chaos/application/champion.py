"""Moving the champion by hand, the use case behind `chaos models promote` and `chaos models rollback`.

A promotion applies the gate that `chaos train --champion` applied when the version was trained: the
verdict recorded in its metadata, against the champion of that time. It stands only if that is still
the champion (else the version must be retrained against the current one, or forced). Recomputing the
figures here would judge a published version on the contacts it was refit on: in-sample, flattering.
A rollback goes back to the previous champion (or `to` a named version) without a gate: it is what an
incident needs. Both replace the pointer only if it is still the one read and are recorded.
"""

from dataclasses import dataclass

from chaos.domain.model_store import ModelPublisher


class ChampionRefused(Exception):
    """The champion stays as it is; the message says why and what would move it."""


@dataclass(frozen=True)
class ChampionChange:
    previous: str | None
    version: str
    why: dict


def promote(
    store: ModelPublisher, version: str, force: bool, command: str, reason: str | None = None
) -> ChampionChange:
    read = store.champion_pointer()
    current = read.text
    if version == current:
        raise ChampionRefused(f"{version} is already the champion of {store.location}")
    promotion = store.metadata(version).get("promotion") or {}
    comparison = promotion.get("comparison")
    if force:
        why = {"decision": "forced", "comparison": comparison}
    elif current is None:
        why = {"decision": "first champion"}
    elif comparison is None or comparison.get("champion") != current:
        judged = comparison.get("champion") if comparison else None
        raise ChampionRefused(
            f"{version} was not judged against the champion {current} (its gate: "
            f"{judged or 'none'}); retrain with `chaos retrain` or promote with --force"
        )
    elif not comparison.get("promote"):
        raise ChampionRefused(f"{version} failed the gate against {current}: {comparison.get('reason')}")
    else:
        why = {"decision": "promoted", "comparison": comparison}
    store.set_champion(version, _recorded(why, command, reason), read)
    return ChampionChange(current, version, why)


def rollback(
    store: ModelPublisher, to: str | None, command: str, reason: str | None = None
) -> ChampionChange:
    read = store.champion_pointer()
    current = read.text
    target = to or _previous(store, current)
    if target == current:
        raise ChampionRefused(f"{target} is already the champion of {store.location}")
    why = {"decision": "rollback"}
    store.set_champion(target, _recorded(why, command, reason), read)
    return ChampionChange(current, target, why)


def _recorded(why: dict, command: str, reason: str | None) -> dict:
    """What the history keeps of a change by hand: the decision, the command and the operator's reason."""
    return {**why, "command": command, **({"reason": reason} if reason else {})}


def _previous(store: ModelPublisher, current: str | None) -> str:
    """The version that was champion before the current one became it."""
    if current is None:
        raise ChampionRefused(f"{store.location} has no champion: nothing to roll back; name one with --to")
    for event in store.history():
        if "problem" not in event and event["to"] == current and event["from"]:
            return str(event["from"])
    raise ChampionRefused(
        f"no earlier champion recorded in {store.location} before {current}: name one with --to"
    )
