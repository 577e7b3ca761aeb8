"""Hypothesis state machine over the router and driver with Python-played contexts.

Random sequences of install / open tab / add frame / navigate / close tab / open extension
page / connect (runtime, tabs, external) / post / disconnect / listener changes, under both
profiles; after every step (once the driver has drained) the invariants of router.py hold:
FIFO and exactly-once delivery while both ends live, onDisconnect at most once and never on
the closer, no message after it, and no channel left once every context is gone.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from webext_runtime._core import model as m
from webext_runtime._core.errors import ExtensionAPIError
from webext_runtime._core.profiles import CHROME, FIREFOX, Profile
from webext_runtime._core.router import Router
from webext_runtime._driver.driver import Driver
from webext_runtime._driver.pyhost import Port, PythonContextHost

from .conftest import manifest

EXT_IDS = ["a" * 32, "b" * 32, "c" * 32]


class Log:
    """Everything one Port saw and did."""

    def __init__(self, port: Port) -> None:
        self.port = port
        self.sent: list[int] = []
        self.events: list[tuple[str, int]] = []
        self.closed_at: int | None = None
        port.on_message.add_listener(lambda msg: self.events.append(("msg", msg["k"])))
        port.on_disconnect.add_listener(lambda p: self.events.append(("disc", 0)))

    @property
    def received(self) -> list[int]:
        return [k for kind, k in self.events if kind == "msg"]

    @property
    def disconnects(self) -> int:
        return sum(1 for kind, _ in self.events if kind == "disc")


class RouterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.driver: Driver | None = None
        self.logs: dict[m.PortKey, Log] = {}
        self.peers: dict[m.PortKey, m.PortKey] = {}  # receiver end -> opener end
        self.counter = 0

    @initialize(profile=st.sampled_from([CHROME, FIREFOX]))
    def start(self, profile: Profile) -> None:
        self.profile = profile
        self.driver = Driver(profile, self._host)
        self.hosts: dict[int, PythonContextHost] = {}
        # effect-level bookkeeping (the hosts' own guards must not mask a router bug)
        self.disconnected_ends: set[m.PortKey] = set()
        self.closers: set[m.PortKey] = set()
        handle = self.driver.router.handle

        def checked(cmd: m.Command) -> list[m.Effect]:
            if isinstance(cmd, m.Disconnect):
                self.closers.add(cmd.port)
            effects = handle(cmd)
            for eff in effects:
                if isinstance(eff, m.DispatchDisconnect):
                    assert eff.port not in self.disconnected_ends, f"2nd onDisconnect {eff}"
                    assert eff.port not in self.closers, f"onDisconnect to the closer {eff}"
                    self.disconnected_ends.add(eff.port)
                elif isinstance(eff, m.DeliverMessage):
                    assert eff.port not in self.disconnected_ends, f"message after close {eff}"
                    assert eff.port not in self.closers, f"message to the closer {eff}"
                    assert eff.ctx_id in driver.router.contexts, f"to a dead context {eff}"
            return effects

        driver = self.driver
        self.driver.router.handle = checked  # type: ignore[method-assign]

    # -- plumbing ------------------------------------------------------------------------

    @property
    def router(self) -> Router:
        assert self.driver is not None
        return self.driver.router

    def _host(self, info: m.ContextInfo) -> PythonContextHost:
        assert self.driver is not None
        host = PythonContextHost(self.driver, info)
        self.hosts[info.ctx_id] = host

        def accept(port: Port) -> None:
            self.logs[port.key] = Log(port)
            self.peers[port.key] = (port.key[0], 0)

        if info.kind != m.WEB_PAGE:
            host.on_connect.add_listener(accept)
            host.on_connect_external.add_listener(accept)
        return host

    def _do(self, cmd: m.Command) -> list[m.Effect]:
        assert self.driver is not None
        effects = self.driver.submit(cmd)
        self.driver._drain_sync()
        self.driver.raise_errors()
        return effects

    def live(self, kinds: frozenset[str] | None = None) -> list[int]:
        return sorted(
            c.id for c in self.router.contexts.values() if kinds is None or c.kind in kinds
        )

    # -- world changes -------------------------------------------------------------------

    @precondition(lambda self: len(self.router.extensions) < len(EXT_IDS))
    @rule(data=st.data())
    def install(self, data: st.DataObject) -> None:
        free = [e for e in EXT_IDS if e not in self.router.extensions]
        ext = data.draw(st.sampled_from(free))
        ec = data.draw(st.sampled_from([None, {"ids": ["*"]}, {"ids": []}]))
        extra: dict[str, Any] = {"name": ext[:3]}
        if self.profile.is_firefox and data.draw(st.booleans()):
            extra["background"] = {"scripts": ["bg.js"], "persistent": False}  # event page
        if ec is not None:
            extra["externally_connectable"] = ec
        self._do(
            m.InstallExtension(
                ext, ext[:3], manifest(self.profile, **extra), self.router.extension_base_url(ext)
            )
        )

    @rule(path=st.sampled_from(["https://a.example/", "https://b.example/x"]))
    def open_tab(self, path: str) -> None:
        self._do(m.OpenTab(path))

    @precondition(lambda self: bool(self.router.extensions))
    @rule(data=st.data())
    def open_ext_page(self, data: st.DataObject) -> None:
        ext = data.draw(st.sampled_from(sorted(self.router.extensions)))
        self._do(m.OpenTab(self.router.extension_base_url(ext) + "page.html", ext_id=ext))

    @precondition(lambda self: bool(self.router.tabs))
    @rule(data=st.data())
    def add_frame(self, data: st.DataObject) -> None:
        tab = data.draw(st.sampled_from(sorted(self.router.tabs)))
        if self.router.tabs[tab].ext_id is None:
            self._do(m.AddFrame(tab, "https://c.example/frame"))

    @precondition(lambda self: bool(self.router.tabs))
    @rule(data=st.data())
    def navigate(self, data: st.DataObject) -> None:
        tab = data.draw(st.sampled_from(sorted(self.router.tabs)))
        self._do(m.Navigate(tab, "https://d.example/next"))

    @precondition(lambda self: bool(self.router.tabs))
    @rule(data=st.data())
    def close_tab(self, data: st.DataObject) -> None:
        tab = data.draw(st.sampled_from(sorted(self.router.tabs)))
        self._do(m.CloseTab(tab))

    @precondition(lambda self: bool(self.router.contexts))
    @rule(data=st.data())
    def toggle_listener(self, data: st.DataObject) -> None:
        ctx = data.draw(st.sampled_from(self.live()))
        host = self.hosts[ctx]
        if host.on_connect.has_listeners():
            for fn, _ in host.on_connect.snapshot():
                host.on_connect.remove_listener(fn)

    # -- messaging -----------------------------------------------------------------------

    @precondition(
        lambda self: bool(self.live(frozenset({m.CONTENT_SCRIPT, m.BACKGROUND, m.EXTENSION_PAGE})))
    )
    @rule(data=st.data(), name=st.sampled_from(["", "x"]))
    def connect(self, data: st.DataObject, name: str) -> None:
        src = data.draw(
            st.sampled_from(
                self.live(frozenset({m.CONTENT_SCRIPT, m.BACKGROUND, m.EXTENSION_PAGE}))
            )
        )
        ctx = self.router.contexts[src]
        how = data.draw(st.sampled_from(["runtime", "external", "tabs"]))
        if how == "tabs" and ctx.kind != m.CONTENT_SCRIPT and self.router.tabs:
            tab = data.draw(st.sampled_from([*sorted(self.router.tabs), 999]))
            cmd = m.Connect(src, name=name, tab_id=tab)
        elif how == "external":
            cmd = m.Connect(src, name=name, target_ext=data.draw(st.sampled_from(EXT_IDS)))
        else:
            cmd = m.Connect(src, name=name)
        assert self.driver is not None
        effects = self.driver.submit(cmd)
        port = self.hosts[src].open_port(effects)
        self.logs[port.key] = Log(port)
        self.driver._drain_sync()
        self.driver.raise_errors()

    def open_ports(self) -> list[m.PortKey]:
        return sorted(
            k for k, log in self.logs.items() if not log.port.disconnected and log.port._host.alive
        )

    @precondition(lambda self: bool(self.open_ports()))
    @rule(data=st.data(), n=st.integers(1, 3))
    def post(self, data: st.DataObject, n: int) -> None:
        key = data.draw(st.sampled_from(self.open_ports()))
        log = self.logs[key]
        for _ in range(n):
            self.counter += 1
            log.port.post_message({"k": self.counter})
            log.sent.append(self.counter)
        assert self.driver is not None
        if data.draw(st.booleans()):
            self.driver._drain_sync()

    @precondition(lambda self: bool(self.open_ports()))
    @rule(data=st.data())
    def disconnect(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(self.open_ports()))
        log = self.logs[key]
        log.closed_at = len(log.events)
        log.port.disconnect()
        log.port.disconnect()  # a second call is ignored
        with pytest.raises(ExtensionAPIError) as err:
            log.port.post_message({"k": -1})
        assert err.value.message == self.profile.port_disconnected

    # -- lifecycle (SEMANTICS §2, §6) ----------------------------------------------------

    @precondition(lambda self: bool(self.router.extensions))
    @rule(data=st.data())
    def stop_worker(self, data: st.DataObject) -> None:
        ext = data.draw(st.sampled_from(sorted(self.router.extensions)))
        bg = self.router.background_of(ext)
        if bg is None or bg.subkind in ("service_worker", "event_page"):
            self._do(m.StopWorker(ext, "devtools"))

    @precondition(lambda self: bool(self.router.extensions))
    @rule(data=st.data(), how=st.sampled_from(["reload", "disable", "enable"]))
    def extension_lifecycle(self, data: st.DataObject, how: str) -> None:
        ext = data.draw(st.sampled_from(sorted(self.router.extensions)))
        if how == "reload":
            self._do(m.ReloadExtension(ext))
        else:
            self._do(m.SetEnabled(ext, how == "enable"))

    @precondition(lambda self: bool(self.router.tabs))
    @rule(data=st.data(), delta=st.sampled_from([-1, 1, 0]))
    def history(self, data: st.DataObject, delta: int) -> None:
        tab = data.draw(st.sampled_from(sorted(self.router.tabs)))
        self._do(m.History(tab, delta))

    @rule(seconds=st.sampled_from([0.0, 0.001, 10.0, 31.0]))
    def advance(self, seconds: float) -> None:
        """Fire the router's own timers (idle stop, wake-up) as the driver would."""
        assert self.driver is not None
        target = self.driver.now + seconds
        while True:
            self.driver._drain_sync()
            h = self.driver._next_timer()
            if h is None or h.when > target:
                break
            self.driver._set_now(h.when)
            self.driver._run_due()
        self.driver._set_now(target)
        self.driver._drain_sync()
        self.driver.raise_errors()

    @rule()
    def drain(self) -> None:
        assert self.driver is not None
        self.driver._drain_sync()

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def router_consistent(self) -> None:
        if self.driver is not None:
            self.router.check_invariants()

    @invariant()
    def per_port_rules(self) -> None:
        if self.driver is None:
            return
        # events for a worker that is starting wait for its wake-up timer
        drained = not self.driver.queue and not self.router._waking
        for key, log in self.logs.items():
            # onDisconnect at most once, never on the closer, nothing after it
            assert log.disconnects <= 1, key
            if log.closed_at is not None:
                assert ("disc", 0) not in log.events[log.closed_at :], "onDisconnect on closer"
            if log.disconnects:
                assert log.events[-1] == ("disc", 0), (key, log.events)
            rec = log.received
            assert len(rec) == len(set(rec)), f"duplicate delivery on {key}"
            if key[1] != 0:
                opener = self.logs.get((key[0], 0))
                if opener is None:
                    continue
                # FIFO: what a receiver got is a prefix-ordered subsequence of the opener's posts
                assert rec == [k for k in opener.sent if k in set(rec)], (key, rec, opener.sent)
                idx = [opener.sent.index(k) for k in rec]
                assert idx == sorted(idx)
                both_open = not log.port.disconnected and not opener.port.disconnected
                if drained and both_open:
                    assert rec == opener.sent, ("exactly once while both live", key)
                mine = [k for k in opener.received if k in set(log.sent)]
                assert mine == [k for k in log.sent if k in set(mine)]
                if drained and both_open:
                    assert mine == log.sent

    def teardown(self) -> None:
        if self.driver is None:
            return
        for tab in list(self.router.tabs):
            self._do(m.CloseTab(tab))
        for ext in list(self.router.extensions):
            self._do(m.UninstallExtension(ext))
        for ctx in list(self.router.contexts):
            self._do(m.CloseContext(ctx))
        assert self.router.channels == {}, "channels leaked"
        assert self.router.contexts == {}
        assert self.router.requests == {}
        assert not self.router._waking
        # every host the driver made is gone too (no leaked realm or host), no timer left
        assert self.driver.hosts == {}, self.driver.hosts
        self.driver._drain_sync()
        assert self.driver.pending_timers() == 0, "timers leaked"
        for log in self.logs.values():
            assert log.disconnects <= 1


TestRouterMachine = RouterMachine.TestCase
TestRouterMachine.settings = settings(
    max_examples=int(os.environ.get("WEBEXT_STATEFUL_EXAMPLES", "150")),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
