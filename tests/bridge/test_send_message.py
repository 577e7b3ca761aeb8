"""runtime.sendMessage / onMessage from JS, both profiles: the measured reply matrices
(shared/observations/chromium-150.md `reply_matrix`, firefox-153.md b.)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from webext_runtime import Browser, MessagingError

FIXTURE = Path(__file__).parent / "fixtures" / "reply_matrix"
NO_RESPONSE = "The message port closed before a response was received."
U = "<undefined>"

# case -> (promise outcome, callback outcome) [C150 reply_matrix]
CHROME: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "undef": ({"outcome": "resolved", "r": U}, {"nargs": 0, "lastError": NO_RESPONSE}),
    "sr_undef": ({"outcome": "resolved", "r": None}, {"nargs": 1, "r": None, "lastError": U}),
    "sr_noargs": ({"outcome": "resolved", "r": None}, {"nargs": 1, "r": None, "lastError": U}),
    "sr_value": ({"outcome": "resolved", "r": {"v": 1}}, {"nargs": 1, "r": {"v": 1}}),
    "sr_date": ({"outcome": "resolved", "r": "1970-01-01T00:00:00.000Z"}, {"nargs": 1}),
    "sr_fn": (
        {"outcome": "rejected", "name": "Error", "message": "Could not serialize message."},
        {"nargs": 0, "lastError": "Could not serialize message."},
    ),
    "sr_twice": ({"outcome": "resolved", "r": {"first": 1}}, {"nargs": 1, "r": {"first": 1}}),
    "async_true": ({"outcome": "resolved", "r": {"late": 1}}, {"nargs": 1, "r": {"late": 1}}),
    "async_no_true": ({"outcome": "resolved", "r": U}, {"nargs": 0, "lastError": NO_RESPONSE}),
    "return_value": ({"outcome": "resolved", "r": U}, {"nargs": 0, "lastError": NO_RESPONSE}),
    "return_truthy": ({"outcome": "resolved", "r": U}, {"nargs": 0, "lastError": NO_RESPONSE}),
    "two_sync": ({"outcome": "resolved", "r": {"from": "A"}}, {"nargs": 1, "r": {"from": "A"}}),
    "promise": ({"outcome": "resolved", "r": {"p": 1}}, {"nargs": 1, "r": {"p": 1}}),
    "promise_undef": ({"outcome": "resolved", "r": None}, {"nargs": 1, "r": None}),
    "promise_delay": ({"outcome": "resolved", "r": {"p": "delayed"}}, {"nargs": 1}),
    "promise_reject": (
        {"outcome": "rejected", "message": "Uncaught Error: boom"},
        {"nargs": 0, "lastError": "Uncaught Error: boom"},
    ),
    "promise_reject_str": (
        {
            "outcome": "rejected",
            "message": "A runtime.onMessage listener's promise rejected without an Error",
        },
        {
            "nargs": 0,
            "lastError": "A runtime.onMessage listener's promise rejected without an Error",
        },
    ),
    "async_fn": ({"outcome": "resolved", "r": {"af": 1}}, {"nargs": 1, "r": {"af": 1}}),
    "promise_and_sr": ({"outcome": "resolved", "r": {"sr": "first"}}, {"r": {"sr": "first"}}),
    "throws": (
        {"outcome": "rejected", "message": "Uncaught Error: kaboom"},
        {"nargs": 0, "lastError": "Uncaught Error: kaboom"},
    ),
    "throws_after_sr": ({"outcome": "resolved", "r": {"before": "throw"}}, {"nargs": 1}),
    "thenable": ({"outcome": "resolved", "r": U}, {"nargs": 0, "lastError": NO_RESPONSE}),
}

# Chromium 156 (Debian's package, the goldens): a listener's Error reaches the sender as its
# bare message [conformance sm_reply_promises, sm_async_listener]; every other cell as 150
CHROME_156 = {
    **CHROME,
    "promise_reject": (
        {"outcome": "rejected", "message": "boom"},
        {"nargs": 0, "lastError": "boom"},
    ),
    "throws": (
        {"outcome": "rejected", "message": "kaboom"},
        {"nargs": 0, "lastError": "kaboom"},
    ),
}

# [F153 b.] browser.* promise and chrome.* callback
UNEXPECTED = "An unexpected error occurred"
FIREFOX: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "undef": ({"outcome": "resolved", "r": U}, {"nargs": 1, "r": U, "lastError": None}),
    "sr_value": ({"outcome": "resolved", "r": {"v": 1}}, {"nargs": 1, "r": {"v": 1}}),
    "sr_noargs": ({"outcome": "resolved", "r": U}, {"nargs": 1, "r": U}),
    "async_true": ({"outcome": "resolved", "r": {"late": 1}}, {"nargs": 1}),
    "async_no_true": ({"outcome": "resolved", "r": U}, {"nargs": 1, "r": U}),
    "return_value": ({"outcome": "resolved", "r": U}, {"nargs": 1}),
    "promise": ({"outcome": "resolved", "r": {"p": 1}}, {"nargs": 1, "r": {"p": 1}}),
    "promise_undef": ({"outcome": "resolved", "r": U}, {"nargs": 1, "r": U}),
    "promise_reject": (
        {"outcome": "rejected", "message": "boom"},
        {"nargs": 0, "lastError": "boom"},
    ),
    "promise_reject_str": (
        {"outcome": "rejected", "message": UNEXPECTED},
        {"nargs": 0, "lastError": UNEXPECTED},
    ),
    "async_fn": ({"outcome": "resolved", "r": {"af": 1}}, {"nargs": 1}),
    "promise_and_sr": ({"outcome": "resolved", "r": {"p": "second"}}, {"nargs": 1}),
    "throws": ({"outcome": "rejected", "message": "kaboom"}, {"nargs": 0, "lastError": "kaboom"}),
    "sr_twice": ({"outcome": "resolved", "r": {"first": 1}}, {"nargs": 1}),
}


def _subset(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    for k, v in expected.items():
        assert actual.get(k) == v, (k, actual)


@pytest.mark.webext(allow_errors=True)
@pytest.mark.parametrize(
    ("profile", "table"), [("chrome-150", CHROME), ("chrome", CHROME_156), ("firefox", FIREFOX)]
)
async def test_reply_matrix(profile: str, table: dict[str, Any]) -> None:
    async with Browser(profile=profile) as browser:
        await browser.install(FIXTURE)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(browser.extensions[0])
        for case, (promise_form, callback_form) in table.items():
            got = await cs.evaluate(f"viaPromise({case!r})")
            _subset(got, promise_form)
            got = await cs.evaluate(f"viaCallback({case!r})")
            _subset(got, callback_form)


async def test_true_never_stays_pending_and_python_times_out() -> None:
    async with Browser() as browser:
        await browser.install(FIXTURE)
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(browser.extensions[0])
        with pytest.raises(TimeoutError):
            await cs.runtime.send_message({"c": "true_never"}, timeout=5.0)
        assert await cs.runtime.send_message({"c": "sr_value"}) == {"v": 1}
        await tab.close()  # closing the requester with a request pending is fine


@pytest.mark.parametrize("profile", ["chrome", "firefox"])
async def test_no_receiver_and_python_listener(profile: str) -> None:
    async with Browser(profile=profile) as browser:
        ext = await browser.install(
            manifest={
                "manifest_version": 2,
                "name": "py",
                "version": "1",
                "background": {"scripts": ["bg.js"]},
                "content_scripts": [{"matches": ["<all_urls>"], "js": ["cs.js"]}],
            }
        )
        tab = await browser.open_tab("https://example.com/")
        cs = tab.content_script(ext)
        with pytest.raises(MessagingError) as err:
            await cs.runtime.send_message({"x": 1})
        assert err.value.message == "Could not establish connection. Receiving end does not exist."
        bg = ext.background
        assert bg is not None

        def listener(message: Any, sender: Any, send_response: Any) -> bool:
            assert sender.tab.id == tab.id
            send_response({"echo": message})
            return False

        bg.runtime.on_message.add_listener(listener)
        assert await cs.runtime.send_message({"x": 2}) == {"echo": {"x": 2}}

        async def slow(message: Any) -> Any:
            await bg.tabs.send_message(tab.id, {"ping": 1}) if False else None
            return {"slow": message["x"]}

        bg.runtime.on_message.remove_listener(listener)
        bg.runtime.on_message.add_listener(slow)
        assert await cs.runtime.send_message({"x": 3}) == {"slow": 3}


THROW_THEN_REPLY_BG = """
chrome.runtime.onMessage.addListener((m) => { throw new Error("first threw"); });
chrome.runtime.onMessage.addListener((m, s, sendResponse) => {
  if (m === "sync") sendResponse("second answered");
  else return true;  // would answer later: the error wins
});
"""


@pytest.mark.webext(allow_errors=True)
@pytest.mark.parametrize(
    ("profile", "sync_outcome", "async_outcome", "logged"),
    [
        # Chromium 150: the throw answers at once, first answer wins [C150 reply_matrix]
        ("chrome-150", "Uncaught Error: first threw", "Uncaught Error: first threw", 0),
        # Chromium 156: every listener runs first (event_emitter.cc DispatchSync logs each
        # exception); a synchronous sendResponse of a later listener wins; otherwise the
        # first error closes the channel (one_time_message_handler.cc OnEventFired)
        ("chrome", "second answered", "first threw", 2),
    ],
)
async def test_listener_throw_against_a_later_reply(
    tmp_path: Path, profile: str, sync_outcome: str, async_outcome: str, logged: int
) -> None:
    (tmp_path / "manifest.json").write_text(
        '{"manifest_version": 3, "name": "t", "version": "1",'
        ' "background": {"service_worker": "bg.js"}}'
    )
    (tmp_path / "bg.js").write_text(THROW_THEN_REPLY_BG)
    async with Browser(profile=profile) as browser:
        ext = await browser.install(tmp_path)
        page = await ext.open_page("bg.js")
        got = {}
        for kind in ("sync", "async"):
            got[kind] = await page.evaluate(
                f"chrome.runtime.sendMessage({kind!r}).then((r) => r, (e) => e.message)"
            )
        assert got == {"sync": sync_outcome, "async": async_outcome}
        handler_errors = [c for c in browser.console if "Error in event handler" in c.text]
        assert len(handler_errors) == logged, browser.console
