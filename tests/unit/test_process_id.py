"""The process id kept without a system call is the kernel's, in this process and in a forked child."""

import os

from chaos.infrastructure import process_id


def test_the_id_is_this_process_s():
    assert process_id.current() == os.getpid()


def test_a_forked_child_knows_its_own_id_before_it_runs_anything():
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(writing, f"{process_id.current()} {os.getpid()}".encode())
        os._exit(0)
    os.close(writing)
    told = os.read(reading, 64).decode().split()
    os.close(reading)
    os.waitpid(child, 0)
    assert told[0] == told[1] == str(child) != str(os.getpid())
