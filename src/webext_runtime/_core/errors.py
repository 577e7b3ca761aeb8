"""The package's exceptions: one root, each subclass also a fitting builtin.

Two families are kept apart (ARCHITECTURE.md, "Errors"):

* caller mistakes — misuse of the Python API (``UsageError``, ``ManifestError``,
  ``SettleTimeoutError``);
* errors a browser would show to extension code — ``ExtensionAPIError`` and its
  subclasses carry the browser's exact text in ``message`` and the JS error
  name the browser would throw in ``js_name``.
"""

from __future__ import annotations


class WebExtRuntimeError(Exception):
    """Root of every error raised by webext-runtime."""


class UsageError(WebExtRuntimeError, RuntimeError):
    """The Python API was used in a way it does not allow (closed browser, dead context, ...)."""


class ManifestError(WebExtRuntimeError, ValueError):
    """A manifest is invalid. Names the file and the offending key."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: " if file else ""
        keypart = f"key {key!r}: " if key else ""
        super().__init__(f"{where}{keypart}{problem}")


class ExtensionAPIError(WebExtRuntimeError):
    """An error the browser would throw or report to extension code, with its exact text."""

    js_name: str = "Error"

    def __init__(self, message: str, js_name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if js_name is not None:
            self.js_name = js_name


class ExtensionTypeError(ExtensionAPIError, TypeError):
    """Argument validation failed; message is the active profile's exact text."""

    js_name = "TypeError"


class SerializationError(ExtensionAPIError, ValueError):
    """A message could not be serialized (profile's exact text)."""


class MessagingError(ExtensionAPIError, RuntimeError):
    """A one-shot message or connection failed (e.g. no receiving end)."""


class ExtensionScriptError(WebExtRuntimeError, RuntimeError):
    """Extension JavaScript raised an uncaught error (context label, message, JS stack)."""

    def __init__(
        self,
        context: str,
        message: str,
        stack: str = "",
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.context = context
        self.message = message
        self.stack = stack
        self.file = file
        self.line = line
        super().__init__(f"[{context}] {message}" + (f"\n{stack}" if stack else ""))


class SettleTimeoutError(WebExtRuntimeError, TimeoutError):
    """settle() waited too long for something outside the virtual clock (e.g. a native host)."""
