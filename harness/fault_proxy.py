"""A TCP proxy that misbehaves on demand, standing where the Cloud SQL Auth Proxy stands in a pod.

The app connects to the proxy, the proxy to PostgreSQL. Between the two, a test can refuse new
connections (nothing listens: ECONNREFUSED, as when the sidecar restarts), cut the open ones (RST,
as when it crashes), delay every chunk of bytes (a slow network), or stall (connections accepted,
bytes held: the silent failure that only a client-side deadline ends). asyncio runs it in a thread
of the test process, so the test drives the faults with plain method calls.
"""

import asyncio
import contextlib
import socket
import struct
import threading


class FaultProxy:
    def __init__(self, target: tuple[str, int], host: str = "127.0.0.1", port: int = 0):
        self.target = target
        self.host = host
        self.port = port  # 0: a free port is chosen on start and kept across refuse/accept
        self.latency = 0.0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._flowing: asyncio.Event | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self._held = 0  # chunks read but not yet delivered (delayed or stalled)

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        self._call(self._init)
        self.accept()
        return self

    def __exit__(self, *exc_info) -> None:
        self.refuse()
        self.cut()
        self._call(self._cancel_tasks)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    # --- faults ----------------------------------------------------------------------------

    def accept(self) -> None:
        """Listen (again) and forward new connections."""
        self._call(self._listen)

    def refuse(self) -> None:
        """Stop listening: new connections are refused; open ones stay until `cut`."""
        self._call(self._close_listener)

    def cut(self) -> None:
        """Reset every open connection on both sides."""
        self._call(self._cut)

    @property
    def _flow(self) -> asyncio.Event:
        """Set while bytes flow, cleared by a stall; it exists once the proxy has started."""
        assert self._flowing is not None, "the proxy was never started"
        return self._flowing

    def stall(self) -> None:
        """Keep accepting and reading, deliver nothing until `resume`."""
        self._call(self._flow.clear)

    def resume(self) -> None:
        """End a stall; held bytes flow again, in order."""
        self._call(self._flow.set)

    def add_latency(self, seconds: float) -> None:
        """Deliver every chunk, in each direction, `seconds` after it was read (0 to stop)."""
        self.latency = seconds

    def down(self) -> None:
        """The database is gone: refuse new connections and cut the open ones."""
        self.refuse()
        self.cut()

    @property
    def connections(self) -> int:
        """Open client connections (app → proxy)."""
        return self._call(lambda: len(self._links) // 2)

    @property
    def held_chunks(self) -> int:
        """Chunks read and not yet delivered: > 0 while some request waits on the proxy."""
        return self._call(lambda: self._held)

    # --- inside the loop -------------------------------------------------------------------

    def _call(self, function):
        async def run():
            result = function()
            return await result if asyncio.iscoroutine(result) else result

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    async def _cancel_tasks(self) -> None:
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def _init(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._link, self.host, self.port, reuse_address=True)
            self.port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _cut(self) -> None:
        for writer in list(self._links):
            with contextlib.suppress(OSError):
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
            writer.transport.abort()
        self._links.clear()

    async def _link(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._links |= {client_writer, server_writer}
        try:
            await asyncio.gather(
                self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer)
            )
        finally:
            for writer in (client_writer, server_writer):
                self._links.discard(writer)
                writer.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read chunks as they come; a second task delivers each when its time has come."""
        queue: asyncio.Queue = asyncio.Queue()
        delivery = asyncio.create_task(self._deliver(queue, writer))
        try:
            while data := await reader.read(65536):
                self._held += 1
                queue.put_nowait((self._loop.time() + self.latency, data))
        except OSError:
            pass
        finally:
            queue.put_nowait(None)
            with contextlib.suppress(OSError):
                await delivery
            writer.transport.abort()

    async def _deliver(self, queue: asyncio.Queue, writer: asyncio.StreamWriter) -> None:
        while (item := await queue.get()) is not None:
            due, data = item
            await asyncio.sleep(max(0.0, due - self._loop.time()))
            await self._flow.wait()
            self._held -= 1
            writer.write(data)
            await writer.drain()
        while not queue.empty():
            queue.get_nowait()
