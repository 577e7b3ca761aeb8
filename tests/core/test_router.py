"""Router effects asserted directly (sans-IO): who receives, channel life, fan-out rules."""

from __future__ import annotations

from webext_runtime._core import model as m
from webext_runtime._core.profiles import BFCACHE_CLOSED, CHROME, FIREFOX, NO_RECEIVER
from webext_runtime._core.router import Router

from .conftest import World

EXT = "a" * 32


def kinds(effects: list[m.Effect]) -> list[str]:
    return [type(e).__name__ for e in effects]


def test_connect_offers_every_other_extension_context_never_content_scripts(world: World) -> None:
    bg = world.install(EXT)
    tab, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    effects = world.router.handle(m.Connect(cs, name="x"))
    assert isinstance(effects[0], m.PortOpened) and effects[0].ctx_id == cs
    dispatched = [e for e in effects if isinstance(e, m.DispatchConnect)]
    assert [e.ctx_id for e in dispatched] == [bg]
    assert dispatched[0].name == "x" and dispatched[0].external is False
    # the background's own connect reaches nobody: not itself, not content scripts
    effects = world.router.handle(m.Connect(bg, name="self"))
    assert kinds(effects) == ["PortOpened", "DispatchDisconnect"]
    assert effects[1] == m.DispatchDisconnect(bg, effects[0].port, NO_RECEIVER)  # type: ignore[union-attr]


def test_no_listener_ack_gives_no_receiver_error(world: World) -> None:
    bg = world.install(EXT)
    _, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    effects = world.router.handle(m.Connect(cs))
    port = effects[0].port  # type: ignore[union-attr]
    recv = next(e for e in effects if isinstance(e, m.DispatchConnect))
    assert recv.ctx_id == bg
    assert world.router.handle(m.ConnectAck(recv.port, False)) == [
        m.DispatchDisconnect(cs, port, NO_RECEIVER)
    ]
    assert world.router.channels == {}
    world.router.check_invariants()


def test_messages_then_disconnect_in_order_and_never_to_closer(world: World) -> None:
    bg = world.install(EXT)
    _, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    r = world.router
    effects = r.handle(m.Connect(cs, name="ord"))
    port = effects[0].port  # type: ignore[union-attr]
    recv = next(e for e in effects if isinstance(e, m.DispatchConnect)).port
    out = []
    for i in range(3):
        out += r.handle(m.PostMessage(port, f'{{"i":{i}}}'))
    out += r.handle(m.Disconnect(port))
    out += r.handle(m.Disconnect(port))  # second disconnect ignored
    assert out == [
        m.DeliverMessage(bg, recv, '{"i":0}'),
        m.DeliverMessage(bg, recv, '{"i":1}'),
        m.DeliverMessage(bg, recv, '{"i":2}'),
        m.DispatchDisconnect(bg, recv, None),
    ]
    # the closed channel drops late posts from the other side
    assert r.handle(m.PostMessage(recv, "1")) == []
    assert r.handle(m.ConnectAck(recv, True)) == []
    r.check_invariants()


def _fanout(world: World) -> tuple[Router, int, int, int, m.PortKey, m.PortKey, m.PortKey]:
    world.install(EXT)
    r = world.router
    page_fx = r.handle(m.OpenTab(r.extension_base_url(EXT) + "page.html", ext_id=EXT))
    page = next(e.info.ctx_id for e in page_fx if isinstance(e, m.ContextCreated))
    _, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    effects = r.handle(m.Connect(cs, name="fan"))
    opener = effects[0].port  # type: ignore[union-attr]
    d = [e for e in effects if isinstance(e, m.DispatchConnect)]
    assert len(d) == 2
    for e in d:
        r.handle(m.ConnectAck(e.port, True))
    return r, cs, d[0].ctx_id, page, opener, d[0].port, d[1].port


def test_fanout_every_receiver_gets_messages_and_replies_reach_opener(world: World) -> None:
    r, cs, bg, page, opener, p_bg, p_page = _fanout(world)
    assert r.handle(m.PostMessage(opener, "1")) == [
        m.DeliverMessage(bg, p_bg, "1"),
        m.DeliverMessage(page, p_page, "1"),
    ]
    assert r.handle(m.PostMessage(p_page, "2")) == [m.DeliverMessage(cs, opener, "2")]


def test_fanout_receiver_disconnect_chrome_closes_opener_only() -> None:
    r, cs, bg, page, opener, p_bg, p_page = _fanout(World(CHROME))
    # [C150 fanout] the opener at once; the other receiver gets nothing, its posts dropped
    assert r.handle(m.Disconnect(p_bg)) == [m.DispatchDisconnect(cs, opener, None)]
    assert r.handle(m.PostMessage(p_page, "late")) == []
    assert r.channels == {}


def test_fanout_receiver_disconnect_firefox_ends_port_for_all() -> None:
    r, cs, bg, page, opener, p_bg, p_page = _fanout(World(FIREFOX))
    # [F153 c.] opener and every other receiver get onDisconnect, error null
    assert r.handle(m.Disconnect(p_bg)) == [
        m.DispatchDisconnect(cs, opener, None),
        m.DispatchDisconnect(page, p_page, None),
    ]


def test_fanout_receiver_gone_chrome_waits_for_last() -> None:
    r, cs, bg, page, opener, p_bg, p_page = _fanout(World(CHROME))
    page_tab = r.contexts[page].tab_id
    assert page_tab is not None
    effects = r.handle(m.CloseTab(page_tab))
    assert not [e for e in effects if isinstance(e, m.DispatchDisconnect)]
    assert r.handle(m.PostMessage(opener, "still")) == [m.DeliverMessage(bg, p_bg, "still")]
    effects = r.handle(m.CloseContext(bg))
    assert [e for e in effects if isinstance(e, m.DispatchDisconnect)] == [
        m.DispatchDisconnect(cs, opener, None)
    ]


def test_tabs_connect_targets_frames_and_bad_ids_fail(world: World) -> None:
    bg = world.install(EXT)
    r = world.router
    tab, ctxs = world.open_tab()
    fx = r.handle(m.AddFrame(tab, "https://example.com/child"))
    child_frame = next(e.frame_id for e in fx if isinstance(e, m.FrameCreated))
    child_cs = next(
        e.info.ctx_id
        for e in fx
        if isinstance(e, m.ContextCreated) and e.info.kind == m.CONTENT_SCRIPT
    )
    top_cs = ctxs[f"content_script:{EXT}"]
    all_frames = r.handle(m.Connect(bg, tab_id=tab))
    assert [e.ctx_id for e in all_frames if isinstance(e, m.DispatchConnect)] == [top_cs, child_cs]
    one = r.handle(m.Connect(bg, tab_id=tab, frame_id=child_frame))
    assert [e.ctx_id for e in one if isinstance(e, m.DispatchConnect)] == [child_cs]
    doc = r.contexts[child_cs].document_id
    by_doc = r.handle(m.Connect(bg, tab_id=tab, document_id=doc))
    assert [e.ctx_id for e in by_doc if isinstance(e, m.DispatchConnect)] == [child_cs]
    for bad in (
        m.Connect(bg, tab_id=999),
        m.Connect(bg, tab_id=tab, frame_id=12345),
        m.Connect(bg, tab_id=tab, document_id="NOPE"),
    ):
        fx = r.handle(bad)
        assert kinds(fx) == ["PortOpened", "DispatchDisconnect"]
        assert fx[1].error == NO_RECEIVER  # type: ignore[union-attr]


def test_sender_shapes_chrome() -> None:
    w = World(CHROME)
    bg = w.install(EXT)
    r = w.router
    tab, ctxs = w.open_tab("https://example.com/page")
    cs = ctxs[f"content_script:{EXT}"]
    fx = r.handle(m.Connect(cs))
    s = next(e for e in fx if isinstance(e, m.DispatchConnect)).sender
    # [C150 sender] keys in order
    assert list(s) == ["id", "url", "origin", "frameId", "documentId", "documentLifecycle", "tab"]
    assert s["origin"] == "https://example.com" and s["frameId"] == 0
    fx = r.handle(m.Connect(bg, tab_id=tab))
    s = next(e for e in fx if isinstance(e, m.DispatchConnect)).sender
    assert s == {
        "id": EXT,
        "url": f"chrome-extension://{EXT}/bg.js",
        "origin": f"chrome-extension://{EXT}",
    }
    page_fx = r.handle(m.OpenTab(r.extension_base_url(EXT) + "b.html", ext_id=EXT))
    page = next(e.info.ctx_id for e in page_fx if isinstance(e, m.ContextCreated))
    fx = r.handle(m.Connect(bg))
    d = next(e for e in fx if isinstance(e, m.DispatchConnect))
    assert d.ctx_id == page
    assert d.sender == {"id": EXT, "url": f"chrome-extension://{EXT}/bg.js"}


def test_navigation_closes_ports_and_reinjects(world: World) -> None:
    bg = world.install(EXT)
    r = world.router
    tab, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    fx = r.handle(m.Connect(cs))
    recv = next(e for e in fx if isinstance(e, m.DispatchConnect)).port
    r.handle(m.ConnectAck(recv, True))
    fx = r.handle(m.Navigate(tab, "https://example.org/"))
    if world.profile.is_chrome:
        # back/forward cache on by default: the far end gets Chrome's bfcache text, the page's
        # contexts are frozen, not destroyed [C150 bfcache]
        assert m.DispatchDisconnect(bg, recv, BFCACHE_CLOSED) in fx
        assert m.ContextFrozen(cs) in fx
    else:
        assert m.DispatchDisconnect(bg, recv, None) in fx
        assert m.ContextDestroyed(cs, "navigated") in fx
    new = [e.info for e in fx if isinstance(e, m.ContextCreated)]
    assert {i.kind for i in new} == {m.WEB_PAGE, m.CONTENT_SCRIPT}
    r.check_invariants()


def test_navigation_without_bfcache_destroys(world: World) -> None:
    bg = world.install(EXT)
    r = world.router
    r.bfcache = False
    tab, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    fx = r.handle(m.Connect(cs))
    recv = next(e for e in fx if isinstance(e, m.DispatchConnect)).port
    r.handle(m.ConnectAck(recv, True))
    fx = r.handle(m.Navigate(tab, "https://example.org/"))
    assert m.DispatchDisconnect(bg, recv, None) in fx
    assert m.ContextDestroyed(cs, "navigated") in fx


def test_back_forward_cache_restores_same_contexts() -> None:
    w = World(CHROME)
    w.install(EXT)
    r = w.router
    tab, ctxs = w.open_tab("https://a.example/")
    cs = ctxs[f"content_script:{EXT}"]
    r.handle(m.Navigate(tab, "https://b.example/"))
    fx = r.handle(m.History(tab, -1))
    assert m.ContextResumed(cs) in fx
    assert not [e for e in fx if isinstance(e, m.ContextCreated)]  # no re-injection
    assert r.tabs[tab].url == "https://a.example/"
    fx = r.handle(m.History(tab, +1))
    assert [e for e in fx if isinstance(e, m.ContextResumed)]
    r.handle(m.CloseTab(tab))
    r.check_invariants()


def test_everything_closed_leaves_no_channel(world: World) -> None:
    bg = world.install(EXT)
    r = world.router
    tab, ctxs = world.open_tab()
    cs = ctxs[f"content_script:{EXT}"]
    for _ in range(3):
        fx = r.handle(m.Connect(cs))
        for e in fx:
            if isinstance(e, m.DispatchConnect):
                r.handle(m.ConnectAck(e.port, True))
    r.handle(m.Connect(bg, tab_id=tab))
    r.handle(m.CloseTab(tab))
    r.handle(m.CloseContext(bg))
    assert r.contexts == {} and r.channels == {}
    r.check_invariants()
