"""The HTTP server's protocol for `chainrule serve`: uvicorn's h11 protocol with bounds on slow or idle clients.

uvicorn (0.54) has no deadline for a request's head: a client that trickles a header line every few seconds
keeps its connection, and its buffer of up to the head size, forever. GuardedH11 adds:
- a head deadline: a connection has `head_timeout_s` from its opening (or from the end of the previous
  answer) to send a whole request line and headers, else it is answered 408 and closed;
- a cap on open connections (`max_connections`): one more is answered 503 and closed at once;
- a cap on the bytes of unfinished heads buffered by all connections together (`max_pending_head_bytes`):
  the connection whose data would pass it is answered 503 and closed.
The size of one head is capped by h11 itself (`h11_max_incomplete_event_size`, see app/cli.py).
"""

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .config import get_settings


def raw_response(status: str, extra: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\n{extra}Connection: close\r\nContent-Length: 0\r\n\r\n".encode()


class GuardedH11(H11Protocol):
    """H11Protocol with a head deadline, a connection cap and a cap on buffered unfinished heads."""

    pending_head_bytes = 0  # over all connections of this process (one event loop: no lock needed)

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.settings = get_settings()
        self.head_bytes = 0
        self.head_timer = None
        if len(self.connections) > self.settings.max_connections:
            self.refuse(raw_response("503 Service Unavailable", "Retry-After: 1\r\n"))
            return
        self.arm()

    def arm(self) -> None:
        self.disarm()
        self.head_timer = self.loop.call_later(self.settings.head_timeout_s, self.head_late)

    def disarm(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def settle(self) -> None:
        """The head is complete (or the connection gone): its bytes no longer count, its deadline is off."""
        GuardedH11.pending_head_bytes -= self.head_bytes
        self.head_bytes = 0
        self.disarm()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self.head_bytes += len(data)
            GuardedH11.pending_head_bytes += len(data)
            if GuardedH11.pending_head_bytes > self.settings.max_pending_head_bytes:
                self.refuse(raw_response("503 Service Unavailable", "Retry-After: 1\r\n"))
                return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self.settle()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.arm()  # the next request's head has its own deadline

    def head_late(self) -> None:
        self.head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.refuse(raw_response("408 Request Timeout") if self.head_bytes else b"")

    def refuse(self, response: bytes) -> None:
        self.settle()
        if not self.transport.is_closing():
            if response:
                self.transport.write(response)
            self.transport.close()

    def connection_lost(self, exc) -> None:
        self.settle()
        super().connection_lost(exc)
