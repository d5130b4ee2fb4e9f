"""URL → Document: a guarded fetch with httpx, then the HTML or text loader.

The guard: only ``http``/``https``; the host is resolved and every address checked before each
request (the first and every redirect hop), refusing loopback, private, link-local, reserved,
multicast, unspecified and other non-global addresses unless ``allow_private=True``; at most
:data:`MAX_REDIRECTS` redirects; connect/read timeouts plus an overall deadline; the body is
capped while it streams. No proxy settings are taken from the environment. The address actually
connected to is checked again before the body is read, so a DNS answer that changes between
the check and the connection cannot make us read a private address.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from narrascope.errors import BinaryInputError, BlockedAddressError, FetchError
from narrascope.ingest.decoding import (
    DEFAULT_MAX_BYTES,
    bytes_to_text,
    check_bytes,
    looks_like_html,
    too_large,
)
from narrascope.ingest.html import from_html
from narrascope.ingest.language import with_language
from narrascope.ingest.text import from_text
from narrascope.model import Document

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 15.0
"""Seconds: connect and per-read timeout, and (times two) the deadline for the whole fetch."""
USER_AGENT = "narrascope/0.1 (+offline news analysis)"

_REDIRECTS = {301, 302, 303, 307, 308}
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Fetched:
    """A fetched body and what the server said about it."""

    url: str
    """The final URL, after redirects."""
    content: bytes
    content_type: str
    charset: str | None
    status: int


def _blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for reason in ("loopback", "private", "link_local", "reserved", "multicast", "unspecified"):
        if getattr(ip, f"is_{reason}"):
            return reason.replace("_", "-")
    if not ip.is_global:
        return "non-global"
    return None


def check_url(url: str, *, allow_private: bool = False) -> httpx.URL:
    """The parsed URL when it may be fetched; else :class:`FetchError`/:class:`BlockedAddressError`.

    Resolves the host with :func:`socket.getaddrinfo`; an address of any blocked kind refuses
    the URL (unless ``allow_private``).
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(
            f"not a valid URL: {url!r} ({exc})", hint="give a full http:// or https:// URL"
        ) from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs can be fetched, not {parsed.scheme or 'a relative'!s} URL {url!r}",
            hint="give an http:// or https:// URL, or a file path",
        )
    host = parsed.host
    if not host:
        raise FetchError(f"the URL {url!r} has no host", hint="give a full http:// or https:// URL")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"cannot resolve host {host!r} of {url}: {exc}") from None
    if allow_private:
        return parsed
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        ip = ipaddress.ip_address(address)
        reason = _blocked_reason(ip)
        if reason:
            raise BlockedAddressError(
                f"refusing to fetch {url}: host {host!r} resolves to {reason} address {ip}"
            )
    return parsed


def _check_peer(response: httpx.Response, url: str) -> None:
    """Re-check the address actually connected to (a DNS answer may change between lookups)."""
    stream = response.extensions.get("network_stream")
    try:
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        ip = ipaddress.ip_address(str(peer[0]).split("%", 1)[0]) if peer else None
    except (TypeError, ValueError, IndexError):
        return
    reason = _blocked_reason(ip) if ip is not None else None
    if reason:
        raise BlockedAddressError(f"refusing {url}: the connection went to {reason} address {ip}")


def _parse_content_type(value: str) -> tuple[str, str | None]:
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return mime.strip().lower(), charset


@contextmanager
def _client(timeout: float) -> Iterator[httpx.Client]:
    with httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9,*/*;q=0.5"},
    ) as client:
        yield client


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` under the guard (see the module docstring); the body is at most ``max_bytes``.

    Raises :class:`BlockedAddressError` for a refused address (on any hop),
    :class:`FetchError` for an unreachable host, timeout, HTTP error status or too many
    redirects, :class:`~narrascope.errors.InputTooLargeError` for a body over the cap.
    """
    deadline = time.monotonic() + 2 * timeout
    current = url
    with _client(timeout) as client:
        for _hop in range(max_redirects + 1):
            parsed = check_url(current, allow_private=allow_private)
            try:
                with client.stream("GET", parsed) as response:
                    if not allow_private:
                        _check_peer(response, current)
                    if response.status_code in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(
                                f"{current} redirected (HTTP {response.status_code}) without a Location"
                            )
                        current = str(parsed.join(location))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            f"{current} answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                            hint="check the URL; if the site refuses scripts, save the page and pass the file",
                        )
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > max_bytes:
                        raise too_large(f"the page at {current}", int(length), max_bytes)
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise too_large(f"the page at {current}", None, max_bytes)
                        if time.monotonic() > deadline:
                            raise FetchError(f"fetching {url} took longer than {2 * timeout:.0f} s")
                    mime, charset = _parse_content_type(response.headers.get("content-type", ""))
                    return Fetched(
                        str(response.url), bytes(body), mime, charset, response.status_code
                    )
            except httpx.TimeoutException as exc:
                raise FetchError(f"fetching {current} timed out ({type(exc).__name__})") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {current}: {type(exc).__name__}: {exc}") from None
    raise FetchError(
        f"{url} redirected more than {max_redirects} times (last: {current})",
        hint="pass the article's final URL, or save the page and pass the file",
    )


def from_url(
    url: str,
    *,
    headline: str | None = None,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    language: str | None = None,
) -> Document:
    """Fetch ``url`` and load it: HTML → the HTML extractor, plain text → the text loader.

    ``Document.url`` is the final URL after redirects; ``origin`` is ``url`` as given.
    """
    page = fetch(url, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout)
    what = f"the page at {page.url}"
    check_bytes(page.content, what, max_bytes=max_bytes)
    is_html = page.content_type in _HTML_TYPES or (
        not page.content_type.startswith("text/") and looks_like_html(page.content)
    )
    if is_html:
        doc = from_html(page.content, url=page.url, headline=headline, origin=url)
    elif page.content_type.startswith("text/") or not page.content_type:
        if page.charset and page.charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
            try:
                text = page.content.decode(page.charset)
            except (LookupError, UnicodeDecodeError):
                text = bytes_to_text(page.content, what, max_bytes=max_bytes)
        else:
            text = bytes_to_text(page.content, what, max_bytes=max_bytes)
        doc = from_text(text, headline=headline, url=page.url, origin=url)
    else:
        raise BinaryInputError(
            f"{what} is {page.content_type!r}, not HTML or text",
            hint="give the URL of an HTML page or a text file; convert PDFs and office files to text first",
        )
    return with_language(doc, language)
