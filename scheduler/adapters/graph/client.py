"""The Graph API client shared by the Facebook Page and Instagram (Graph) adapters.

facebook-sdk does the HTTP; this module fixes what it can't do on its own:
- the base URL is configurable (``JADWAL_GRAPH_URL`` or ``graph.url``; tests point it at a
  fake on 127.0.0.1): facebook-sdk always prefixes ``https://graph.facebook.com/``, so the
  session we hand it rewrites that prefix;
- the API version is set after construction (facebook-sdk only validates versions up to 3.1);
- the token travels in the ``Authorization`` header, never in a URL that could end up in a
  log or an exception message;
- every failure becomes one of ``scheduler.errors`` (``graph.errors.translate``), keeping
  Meta's code, subcode and message. ``safe`` says whether the call may be repeated (reads,
  container creation, unpublished uploads); a lost answer to an unsafe call (publishing) is
  ``OutcomeUnknown``, never a retry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import requests

from scheduler.adapters.base import Progress
from scheduler.adapters.graph.errors import translate
from scheduler.adapters.graph.usage import Usage, usage_of
from scheduler.adapters.network import Endpoint, upload_seconds
from scheduler.errors import PublishError, Transient
from scheduler.i18n import N_, _
from scheduler.secrets import scrub

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
SDK_PREFIX = "https://graph.facebook.com/"
TIMEOUT = 60.0
BATCH_MAX = 50  # Meta's "Batch Requests": at most 50 operations in one request


def graph_url(configured: str | None) -> str:
    return (os.environ.get("JADWAL_GRAPH_URL") or configured or DEFAULT_GRAPH_URL).rstrip("/")


class GraphSession(requests.Session):
    """Sends facebook-sdk's requests to ``base_url`` with the token in a header."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.headers["Authorization"] = f"Bearer {token}"

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith(SDK_PREFIX):
            text = f"{self.base_url}/{text[len(SDK_PREFIX) :]}"
        files = kwargs.get("files")
        if files and isinstance(kwargs.get("timeout"), int | float):
            # An upload is answered once all of it arrived: wait as long as that may take.
            kwargs["timeout"] += upload_seconds(sum(_size(f) for f in files.values()))
        return super().request(method, text, *args, **kwargs)


def _size(upload: Any) -> int:
    """The bytes of one multipart file (an open file, or ``(name, file, …)``)."""
    handle = upload[1] if isinstance(upload, tuple) else upload
    try:
        return os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return len(handle) if isinstance(handle, bytes | str) else 0


class Graph:
    def __init__(
        self,
        token: str,
        base_url: str,
        version: str,
        timeout: float | None = None,
        session: requests.Session | None = None,
        needs: tuple[str, ...] = (),
    ) -> None:
        from facebook import GraphAPI

        self._token = token
        self.needs = needs  # the permissions named when Meta says the app lacks one
        self._secrets = [token]  # what is scrubbed from every error this client raises
        self.endpoint = Endpoint(N_("the Graph API"), f"{base_url}/")
        self.session = session or GraphSession(base_url, token)
        # No version at construction: facebook-sdk rejects anything newer than 3.1.
        self.api = GraphAPI(timeout=timeout or TIMEOUT, session=self.session)
        self.api.version = version if version.startswith("v") else f"v{version}"
        # What Meta's usage headers said last, and how many requests this client made.
        self.usage: Usage | None = None
        self.requests = 0
        self.session.hooks.setdefault("response", []).append(self._watch)

    def _watch(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.requests += 1
        found = usage_of(response.headers)
        if found is not None:
            self.usage = found

    def token_info(self, app_token: str) -> dict[str, Any]:
        """``/debug_token`` for this client's token, asked with the app's token (``{id}|
        {secret}``): Meta lets only an app or its developer inspect a token. The token
        inspected goes as ``input_token``, as documented, and is scrubbed like the app's."""
        inspector = Graph(app_token, self.endpoint.url.rstrip("/"), self.api.version)
        inspector._secrets = [app_token, app_token.partition("|")[2], self._token]
        data = inspector.get("debug_token", input_token=self._token).get("data")
        return data if isinstance(data, dict) else {}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self._call(path, safe=True, args=params)

    def post(
        self, path: str, data: dict[str, Any], *, files: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A call that makes nothing public (a container, an unpublished photo): safe to
        repeat, so a lost answer is ``Transient``."""
        return self._call(path, safe=True, post_args=data, files=files)

    def publish(
        self,
        path: str,
        data: dict[str, Any],
        progress: Progress,
        *,
        files: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The call that makes a post public: confirmed with the engine first, and a lost
        answer is ``OutcomeUnknown``, never a retry."""
        progress.confirm()
        return self._call(path, safe=False, post_args=data, files=files)

    def batch(self, operations: Sequence[str]) -> list[dict[str, Any] | PublishError]:
        """Meta's batch request: each of ``operations`` (a GET's relative URL, at most
        ``BATCH_MAX``) answered in one HTTP request, in order; an operation Meta refused, or
        left unanswered (``null``: it timed out), is the error it would have raised alone.
        Reads only: a lost batch is ``Transient`` and may be sent again."""
        wanted = [{"method": "GET", "relative_url": op} for op in operations[:BATCH_MAX]]
        answer = self._request("", safe=True, post_args={"batch": json.dumps(wanted)})
        if not isinstance(answer, list) or len(answer) != len(wanted):
            raise self._scrubbed(translate(ValueError("unexpected answer"), safe=True))
        return [self._operation(item) for item in answer]

    def _operation(self, item: Any) -> dict[str, Any] | PublishError:
        from facebook import GraphAPIError

        if not isinstance(item, dict):
            return Transient(_("the Graph API left this part of a batch unanswered (timeout)"))
        try:
            body = json.loads(item.get("body") or "null")
        except ValueError:
            body = None
        if isinstance(body, dict) and "error" in body:
            return self._scrubbed(translate(GraphAPIError(body), safe=True, needs=self.needs))
        if not isinstance(body, dict):
            return self._scrubbed(translate(ValueError("unexpected answer"), safe=True))
        return body

    def _call(
        self,
        path: str,
        *,
        safe: bool,
        args: dict[str, Any] | None = None,
        post_args: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        result = self._request(path, safe=safe, args=args, post_args=post_args, files=files)
        if not isinstance(result, dict):
            raise self._scrubbed(translate(ValueError("unexpected answer"), safe=safe))
        return result

    def _request(
        self,
        path: str,
        *,
        safe: bool,
        args: dict[str, Any] | None = None,
        post_args: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
    ) -> Any:
        try:
            result = self.api.request(
                f"{self.api.version}/{path.lstrip('/')}",
                args=args,
                post_args=post_args,
                files=files,
            )
        except Exception as exc:
            error = translate(exc, safe=safe, needs=self.needs)
            said = repr(getattr(exc, "result", exc)) + str(exc)
            if any(secret and secret in said for secret in self._secrets):
                # Keep Meta's echo of the token out of chained tracebacks (crash logs, logs).
                raise self._scrubbed(error) from None
            raise error from exc
        return result

    def _scrubbed(self, error: PublishError) -> PublishError:
        # Meta never echoes tokens, but a proxy's error page might: never let one through.
        error.message = scrub(error.message, self._secrets)
        error.args = (error.message,)
        return error
