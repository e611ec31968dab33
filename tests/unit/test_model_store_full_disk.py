"""A publish that runs out of disk removes what it wrote and fails with one line naming the cause:
no half version is left in the store."""

import pytest

from chaos.domain.model_store import ModelLoadError
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.storage import LocalStorage
from tests.artifacts import save_model
from tests.support.full_disk import fill


class CountingStorage(LocalStorage):
    """The local store, counting the objects it did create."""

    created: list[str]

    def create(self, key: str, content: bytes) -> None:
        super().create(key, content)
        self.created.append(key)


def test_a_publish_on_a_full_disk_leaves_no_half_version(small_disk):
    storage = CountingStorage(small_disk / "models")
    storage.created = []
    store = ArtifactPublisher(storage)
    fill(small_disk, leave=16 * 1024)  # room for the first objects of a version, not for all
    with pytest.raises(ModelLoadError) as raised:
        save_model(small_disk / "models", champion=True, store=store)
    message = str(raised.value)
    assert "\n" not in message and "No space left on device" in message and "cannot write" in message
    assert storage.created, "the disk filled before any object: the clean-up was not exercised"
    assert store.versions() == [] and store.problems() == []
    assert (
        sorted(path.name for path in (small_disk / "models").iterdir() if not path.name.startswith(".")) == []
    )
