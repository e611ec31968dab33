"""The multiprocess metrics directory is emptied when gunicorn reads its settings, before the app
(and the served model's gauge) is loaded in the master."""

from chaos.application import metrics_directory


def test_prepare_forgets_a_previous_server_samples_and_exports_the_directory(tmp_path):
    stale = tmp_path / "counter_123.db"
    stale.write_bytes(b"old")
    environ = {metrics_directory.VARIABLE: str(tmp_path)}
    assert metrics_directory.prepare(environ) == tmp_path
    assert not stale.exists()
    assert environ[metrics_directory.VARIABLE] == str(tmp_path)


def test_without_a_directory_a_temporary_one_is_made_and_removed(tmp_path):
    environ = {}
    directory = metrics_directory.prepare(environ)
    assert directory.is_dir() and environ[metrics_directory.VARIABLE] == str(directory)
    metrics_directory.remove_if_temporary(directory)
    assert not directory.exists()
