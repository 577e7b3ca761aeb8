"""The asyncio driver: one Router, a FIFO effect queue, a timer heap and a virtual clock.

Effects are executed asynchronously, never on the caller's stack: ``submit()`` only queues
them. Progress happens inside the driver's awaits — :meth:`Driver.settle`,
:meth:`Driver.advance` and :meth:`Driver.run_until` — like trio's ``MockClock`` with
autojump: when nothing is runnable and a test awaits something that needs time, the
virtual clock jumps to the next timer. Exceptions raised by Python listeners are collected
and re-raised from the next driver call, never swallowed.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import types
from collections import deque
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, Protocol

from .._core import model as m
from .._core.errors import SettleTimeoutError, UsageError
from .._core.profiles import Profile
from .._core.router import Router

_QUEUED = frozenset(
    {
        m.DeliverMessage,
        m.DispatchConnect,
        m.DispatchDisconnect,
        m.ContextDestroyed,
        m.DispatchMessage,
        m.ResolveRequest,
        m.SetTimer,
        m.CancelTimer,
        m.ActionClicked,
        m.ContextFrozen,
        m.ContextResumed,
        m.ContextOrphaned,
        m.Suspending,
    }
)
#: lifecycle notifications a host may implement (optional methods)
_NOTICES: dict[type, str] = {
    m.ContextFrozen: "frozen",
    m.ContextResumed: "resumed",
    m.ContextOrphaned: "orphaned",
    m.Suspending: "suspending",
}


@types.coroutine
def _resume(coro: Any, yielded: Any) -> Generator[Any, Any, Any]:
    """Continue a coroutine that already ran up to its first suspension."""
    while True:
        try:
            value = yield yielded
        except BaseException as exc:
            try:
                yielded = coro.throw(exc)
            except StopIteration as stop:
                return stop.value
        else:
            try:
                yielded = coro.send(value)
            except StopIteration as stop:
                return stop.value


def _eager(coro: Any) -> Awaitable[Any]:
    """Run ``coro`` synchronously up to its first ``await`` that suspends, like a JS async
    function (its listeners are registered before the next queued event, and Chrome's
    ``lastError`` is still set when it reads it); the rest runs as a task."""
    try:
        yielded = coro.send(None)
    except StopIteration as stop:
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        done.set_result(stop.value)
        return done
    except BaseException as exc:
        failed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        failed.set_exception(exc)
        return failed

    async def rest() -> Any:
        return await _resume(coro, yielded)

    return rest()


class ContextHost(Protocol):
    """What the driver calls on a context (Python-played or a JS realm)."""

    def dispatch_connect(
        self, port: m.PortKey, name: str, sender: dict[str, Any], external: bool
    ) -> None: ...

    def deliver_message(self, port: m.PortKey, payload: str) -> None: ...

    def dispatch_disconnect(self, port: m.PortKey, error: str | None) -> None: ...

    def destroyed(self, reason: str) -> None: ...

    def dispatch_message(
        self, req_id: int, payload: str, sender: dict[str, Any], external: bool
    ) -> None: ...

    def resolve_request(
        self, req_id: int, payload: str | None, error: str | None, no_response: bool
    ) -> None: ...

    def action_clicked(self, tab: dict[str, Any] | None) -> None: ...


HostFactory = Callable[[m.ContextInfo], ContextHost]


@dataclass(frozen=True, slots=True)
class ConsoleMessage:
    """One captured console line."""

    context: str
    level: str
    text: str
    time: float

    def __str__(self) -> str:
        return f"{self.context}: {self.text}"


class Task:
    """A callable queued in FIFO order with the effects (script loads, deferred work)."""

    __slots__ = ("fn",)
    ctx_id = None

    def __init__(self, fn: Callable[[], None]) -> None:
        self.fn = fn


class TimerHandle:
    __slots__ = ("callback", "cancelled", "when")

    def __init__(self, when: float, callback: Callable[[], None]) -> None:
        self.when = when
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Driver:
    def __init__(self, profile: Profile, host_factory: HostFactory) -> None:
        self.profile = profile
        self.router = Router(profile)
        self.hosts: dict[int, ContextHost] = {}
        self.host_factory = host_factory
        self.queue: deque[Any] = deque()
        self.now = 0.0
        self._timers: list[tuple[float, int, TimerHandle]] = []
        self._timer_seq = itertools.count()
        self.errors: list[BaseException] = []
        self.console: list[ConsoleMessage] = []
        self.tasks: set[asyncio.Future[Any]] = set()
        self.closed = False
        #: callables polled by settle() for work outside the virtual clock (JS microtasks)
        self.job_runners: list[Callable[[], int]] = []
        #: real-world events settle() waits for, each with a description for the timeout
        #: error: a future (until it is done) or a source object (until :meth:`fulfil`)
        self.io_waits: dict[object, str] = {}
        #: real seconds without any real-world event before a wait raises SettleTimeoutError
        self.io_timeout = 10.0
        #: live real-world sources (running native hosts); run_until() waits for them in
        #: real time rather than declaring that nothing can happen
        self.io_sources: set[object] = set()
        #: real seconds of quiet from every live source before run_until() lets the virtual
        #: clock jump to the next timer (trio's MockClock ``autojump_threshold``)
        self.autojump_threshold = 0.5
        #: set while the driving coroutine waits for real-world events; sources call
        #: :meth:`io_event`, which runs the consequences at once, inside their callback
        self._park: asyncio.Future[str] | None = None
        self._park_target: asyncio.Future[Any] | None = None
        self._last_io = 0.0
        self._in_io_event = False
        #: timers the router asked for (SetTimer), by key
        self._rtimers: dict[str, TimerHandle] = {}
        #: called with a context id when its host is destroyed (the API layer forgets it);
        #: one hook on the driver rather than a closure per host keeps idle hosts small
        self.on_context_destroyed: Callable[[int], None] | None = None

    # ------------------------------------------------------------------ commands

    def submit(self, command: m.Command) -> list[m.Effect]:
        """Feed a command; queue its effects (contexts are created at once)."""
        if self.closed:
            raise UsageError("this Browser is closed")
        effects = self.router.handle(command)
        q = self.queue
        for eff in effects:
            t = type(eff)
            if isinstance(eff, m.ContextCreated):
                info = eff.info
                self.hosts[info.ctx_id] = self.host_factory(info)
            elif t in _QUEUED:
                q.append(eff)
        return effects

    def post(self, port: m.PortKey, payload: str) -> None:
        """Fast path for ``port.postMessage`` (the hot loop of every benchmark)."""
        if self.closed:
            raise UsageError("this Browser is closed")
        self.queue.extend(self.router.post(port, payload))

    # ------------------------------------------------------------------ effects

    def pump(self) -> int:
        """Execute queued effects in FIFO order until none is left."""
        q = self.queue
        hosts = self.hosts
        n = 0
        while q:
            eff: Any = q.popleft()
            n += 1
            t = type(eff)
            host = hosts.get(eff.ctx_id)
            if t is m.DeliverMessage:
                if host is not None:
                    host.deliver_message(eff.port, eff.payload)
            elif t is m.DispatchConnect:
                if host is not None:
                    host.dispatch_connect(eff.port, eff.name, eff.sender, eff.external)
            elif t is m.DispatchDisconnect:
                if host is not None:
                    host.dispatch_disconnect(eff.port, eff.error)
            elif t is m.DispatchMessage:
                if host is not None:
                    host.dispatch_message(eff.req_id, eff.payload, eff.sender, eff.external)
            elif t is m.ResolveRequest:
                if host is not None:
                    host.resolve_request(eff.req_id, eff.payload, eff.error, eff.no_response)
            elif t is m.ContextDestroyed:
                hosts.pop(eff.ctx_id, None)
                if host is not None:
                    host.destroyed(eff.reason)
            elif t is Task:
                try:
                    eff.fn()
                except Exception as exc:
                    self.report(exc)
            elif t is m.SetTimer:
                self._router_timer(eff.key, eff.delay)
            elif t is m.CancelTimer:
                old = self._rtimers.pop(eff.key, None)
                if old is not None:
                    old.cancel()
            elif t is m.ActionClicked:
                if host is not None:
                    host.action_clicked(eff.tab)
            elif t in _NOTICES:
                notice = getattr(host, _NOTICES[t], None)
                if notice is not None:
                    notice()
        return n

    def _router_timer(self, key: str, delay: float) -> None:
        old = self._rtimers.pop(key, None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._rtimers.pop(key, None)
            if not self.closed:
                self.submit(m.TimerFired(key))

        self._rtimers[key] = self.call_later(delay, fire)

    # ------------------------------------------------------------------ errors and listeners

    def report(self, exc: BaseException) -> None:
        """A Python listener raised: keep it for the next driver call."""
        self.errors.append(exc)

    def raise_errors(self) -> None:
        if not self.errors:
            return
        errors, self.errors = self.errors, []
        if len(errors) == 1:
            raise errors[0]
        raise ExceptionGroup(
            "several listeners raised",
            [e if isinstance(e, Exception) else RuntimeError(repr(e)) for e in errors],
        )

    def call_listener(self, fn: Callable[..., Any], arity: int, args: tuple[Any, ...]) -> Any:
        """Call a Python listener; keep exceptions; run coroutines as tracked tasks."""
        try:
            result = fn(*args) if arity < 0 or arity >= len(args) else fn(*args[:arity])
        except Exception as exc:
            self.report(exc)
            return None
        if result is None or result is True or result is False:
            return result
        if asyncio.iscoroutine(result):
            return self.spawn(_eager(result))
        if isinstance(result, asyncio.Future):
            return self.spawn(result)
        return result

    def spawn(self, aw: Awaitable[Any]) -> asyncio.Future[Any]:
        fut = asyncio.ensure_future(aw)
        self.tasks.add(fut)
        fut.add_done_callback(self._task_done)
        return fut

    def _task_done(self, fut: asyncio.Future[Any]) -> None:
        self.tasks.discard(fut)
        if not fut.cancelled() and fut.exception() is not None:
            exc = fut.exception()
            assert exc is not None
            self.report(exc)
        if self._park is not None:
            self.io_event()

    # ------------------------------------------------------------------ real time

    def expect(self, key: object, what: str) -> None:
        """Make settle() wait (in real time) for ``key``: a future until it is done, any
        other object (a source) until :meth:`fulfil` is called with it."""
        if isinstance(key, asyncio.Future):
            if key.done():
                return
            key.add_done_callback(self._expected_done)
        self.io_waits[key] = what

    def fulfil(self, key: object) -> None:
        """The event a source was expected to produce happened."""
        self.io_waits.pop(key, None)

    def _expected_done(self, fut: asyncio.Future[Any]) -> None:
        self.io_waits.pop(fut, None)
        self.io_event()

    def _io_pending(self) -> bool:
        return any(not (isinstance(k, asyncio.Future) and k.done()) for k in self.io_waits)

    def io_event(self) -> None:
        """A real-world source (a native host) fed the runtime something.

        When the driving coroutine is parked waiting for such events, everything that
        follows (listeners, JS, the messages they post back to the host, timers due now)
        runs here, synchronously, like a browser's IPC task; the coroutine is woken only
        when it has something to do. This keeps a host conversation to one event-loop turn
        per message. Not parked: the queued effects run at the next driver call."""
        park = self._park
        if park is None or park.done() or self._in_io_event:
            return
        self._in_io_event = True
        try:
            self._last_io = asyncio.get_running_loop().time()
            while True:
                self._drain_sync()
                if not self._run_due():
                    break
            wake = self._should_wake()
        except BaseException as exc:  # keep it for the driving coroutine
            self.report(exc)
            wake = True
        finally:
            self._in_io_event = False
        if wake and not park.done():
            park.set_result("event")

    def _should_wake(self) -> bool:
        if self.queue or self.errors:
            return True
        h = self._next_timer()
        if h is not None and h.when <= self.now:
            return True
        target = self._park_target
        if target is None:  # settle(): until no expected event is outstanding
            return not self._io_pending()
        if target.done():
            return True
        # every host is gone: run_until() decides (jump to a timer, or nothing can happen);
        # a task target is real work of its own and wakes the park when done
        return not self.io_sources and not isinstance(target, asyncio.Task)

    async def _park_real(self, target: asyncio.Future[Any] | None, quiet: float | None) -> str:
        """Wait in real time for :meth:`io_event` to find work: ``"event"``; ``"quiet"``
        after ``quiet`` real seconds without an event; ``"timeout"`` after ``io_timeout``."""
        loop = asyncio.get_running_loop()
        park: asyncio.Future[str] = loop.create_future()
        self._park = park
        self._park_target = target
        self._last_io = loop.time()

        def poke(_f: object) -> None:
            self.io_event()

        if target is not None:
            target.add_done_callback(poke)
        limit = self.io_timeout if quiet is None else min(quiet, self.io_timeout)

        def check() -> None:
            if park.done():
                return
            idle = loop.time() - self._last_io
            if quiet is not None and idle >= quiet:
                park.set_result("quiet")
            elif idle >= self.io_timeout:
                park.set_result("timeout")
            else:
                handle[0] = loop.call_later(limit - idle, check)

        handle = [loop.call_later(limit, check)]
        try:
            if self._should_wake():
                await asyncio.sleep(0)  # never spin without letting the loop run
                return "event"
            return await park
        finally:
            self._park = None
            self._park_target = None
            handle[0].cancel()
            if target is not None:
                target.remove_done_callback(poke)

    async def _wait_io(self) -> None:
        for key in [k for k in self.io_waits if isinstance(k, asyncio.Future) and k.done()]:
            self.io_waits.pop(key, None)
        if not self.io_waits:
            return
        if await self._park_real(None, None) == "timeout":
            what = "; ".join(sorted(set(self.io_waits.values())))
            # give up on them: later settle() calls do not wait (and fail) again
            for source in list(self.io_waits):
                self.io_waits.pop(source, None)
                if isinstance(source, asyncio.Future):
                    source.cancel()
            raise SettleTimeoutError(
                f"waited {self.io_timeout:g} s (real time) and nothing arrived from: {what}"
            )

    def log(self, context: str, level: str, text: str) -> None:
        self.console.append(ConsoleMessage(context, level, text, self.now))
        self.router._record("console", context, None, None, {"level": level, "text": text})

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Queue ``fn`` behind everything already queued (FIFO with the effects)."""
        self.queue.append(Task(fn))

    # ------------------------------------------------------------------ clock

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        handle = TimerHandle(self.now + max(0.0, delay), callback)
        heapq.heappush(self._timers, (handle.when, next(self._timer_seq), handle))
        return handle

    def _next_timer(self) -> TimerHandle | None:
        timers = self._timers
        while timers and timers[0][2].cancelled:
            heapq.heappop(timers)
        return timers[0][2] if timers else None

    def pending_timers(self) -> int:
        return sum(1 for _, _, h in self._timers if not h.cancelled)

    def _set_now(self, when: float) -> None:
        if when > self.now:
            self.now = when
            self.router.now = when

    def _run_due(self) -> bool:
        """Fire every timer due now; True when one ran."""
        ran = False
        while True:
            h = self._next_timer()
            if h is None or h.when > self.now:
                return ran
            heapq.heappop(self._timers)
            ran = True
            try:
                h.callback()
            except Exception as exc:
                self.report(exc)
            self._drain_sync()

    def _drain_sync(self) -> None:
        while True:
            n = self.pump()
            for runner in self.job_runners:
                n += runner()
            if not n:
                return

    async def _quiesce(self) -> None:
        """Run queued effects, microtasks, due timers and listener tasks until idle."""
        idle_rounds = 0
        while True:
            self._drain_sync()
            if self._run_due():
                idle_rounds = 0
                continue
            if self.tasks:
                await asyncio.sleep(0)
                if self.queue or any(r() for r in self.job_runners):
                    idle_rounds = 0
                    continue
                idle_rounds += 1
                if idle_rounds < 8:
                    continue
            elif self.queue:
                continue
            if self.io_waits:
                await self._wait_io()
                idle_rounds = 0
                continue
            return

    async def settle(self) -> None:
        """Run until nothing is queued and no timer is due (the clock does not move)."""
        await self._quiesce()
        self.raise_errors()

    async def advance(self, seconds: float) -> None:
        """Move the virtual clock forward, firing timers in order and settling between."""
        if seconds < 0:
            raise UsageError(f"advance() needs a non-negative number of seconds, not {seconds}")
        target = self.now + seconds
        await self._quiesce()
        while True:
            h = self._next_timer()
            if h is None or h.when > target:
                break
            self._set_now(h.when)
            await self._quiesce()
        self._set_now(target)
        await self._quiesce()
        self.raise_errors()

    async def run_until(
        self, fut: asyncio.Future[Any], what: str, timeout: float | None = None
    ) -> Any:
        """Drive until ``fut`` is done, jumping the virtual clock when idle (autojump)."""
        deadline = None if timeout is None else self.now + timeout
        while True:
            await self._quiesce()
            self.raise_errors()
            if fut.done():
                return fut.result()
            h = self._next_timer()
            timer = h if h is not None and (deadline is None or h.when <= deadline) else None
            if timer is not None and not self.io_sources:
                self._set_now(timer.when)
                continue
            if self.tasks:
                await asyncio.sleep(0)
                if fut.done():
                    continue
            if self.io_sources or isinstance(fut, asyncio.Task):
                # real asynchronous work (a running native host, a native answer): virtual
                # timers wait until the hosts have been quiet for autojump_threshold real
                # seconds, so they cannot overtake a message a host is about to send
                quiet = self.autojump_threshold if timer is not None else None
                outcome = await self._park_real(fut, quiet)
                if outcome == "quiet" and timer is not None:
                    self._set_now(timer.when)
                    continue
                if outcome != "timeout":
                    continue
                if isinstance(fut, asyncio.Task):
                    fut.cancel()  # abandoned: it must not be waited for again
                raise SettleTimeoutError(
                    f"{what}: waited {self.io_timeout:g} s (real time) for a native host"
                )
            if timer is not None:
                self._set_now(timer.when)
                continue
            if deadline is not None:
                self._set_now(deadline)
                raise TimeoutError(f"{what}: nothing happened within {timeout} virtual seconds")
            raise UsageError(f"{what} can never happen: nothing is queued and no timer is pending")
