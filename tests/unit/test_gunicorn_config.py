import gc

from chaos.entrypoints import gunicorn_config


def test_the_master_moves_what_it_built_out_of_the_collector_s_reach_before_each_fork():
    gc.unfreeze()
    try:
        gunicorn_config.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
