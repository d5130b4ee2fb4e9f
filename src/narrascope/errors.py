"""One exception tree. Every error has a stable code and a hint that names the fix.

::

    NarrascopeError
    ├── InputError                 bad or unreadable input (E1xx)
    │   ├── EmptyInputError        E101
    │   ├── BinaryInputError       E102
    │   ├── InputTooLargeError     E103
    │   ├── EncodingError          E104
    │   ├── NoArticleError         E105  HTML with no extractable article
    │   ├── MalformedRecordError   E106  a bad JSONL line
    │   ├── UnsupportedLanguageError E107
    │   └── InputNotFoundError     E108
    ├── FetchError                 a URL could not be fetched (E2xx)
    │   └── BlockedAddressError    E202  loopback/private/link-local refused
    ├── PipelineError              analyzers mis-wired or failing (E3xx)
    ├── ModelError                 shipped weights missing or unreadable (E4xx)
    ├── SchemaError                JSON of an incompatible schema version (E5xx)
    └── DataError                  benchmark/training data missing or malformed (E6xx)

The library raises these; only the shells (CLI, API) print them and exit.
"""

from __future__ import annotations


class NarrascopeError(Exception):
    code = "E000"
    default_hint = "see `narrascope --help`"

    def __init__(self, message: str, *, hint: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint
        if code:
            self.code = code

    def __reduce__(self) -> tuple[object, ...]:
        # keep the hint and code across process boundaries (the local engine pickles failures)
        return (_rebuild, (type(self), self.message, self.hint, self.code))

    def one_line(self) -> str:
        """``error[E101] message (hint: …)`` on one line, for the shells."""
        msg = " ".join(self.message.split())
        return f"error[{self.code}] {type(self).__name__}: {msg} (hint: {self.hint})"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "type": type(self).__name__, "message": self.message, "hint": self.hint}


def _rebuild(cls: type[NarrascopeError], message: str, hint: str, code: str) -> NarrascopeError:
    return cls(message, hint=hint, code=code)


class InputError(NarrascopeError):
    code = "E100"
    default_hint = "give a UTF-8 text, HTML or JSONL file, a URL, or '-' for stdin"


class EmptyInputError(InputError):
    code = "E101"
    default_hint = "give a file that contains the article's text"


class BinaryInputError(InputError):
    code = "E102"
    default_hint = "give plain text, HTML or JSONL; convert PDFs and office files to text first"


class InputTooLargeError(InputError):
    code = "E103"
    default_hint = "split the input into articles, or raise the cap with --max-bytes"


class EncodingError(InputError):
    code = "E104"
    default_hint = "re-encode the file as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`)"


class NoArticleError(InputError):
    code = "E105"
    default_hint = "the page has no article text; pass the article's own URL or its text"


class MalformedRecordError(InputError):
    code = "E106"
    default_hint = "each JSONL line must be a JSON object with a non-empty string field 'text'"


class UnsupportedLanguageError(InputError):
    code = "E107"
    default_hint = "give an article in a supported language, or force one with --language"


class InputNotFoundError(InputError):
    code = "E108"
    default_hint = "check the path; use '-' to read stdin"


class FetchError(NarrascopeError):
    code = "E201"
    default_hint = "check the URL and your connection, or save the page and pass the file"


class BlockedAddressError(FetchError):
    code = "E202"
    default_hint = "pass --allow-private to fetch loopback, private or link-local addresses"


class PipelineError(NarrascopeError):
    code = "E301"
    default_hint = "list analyzers with `narrascope analyzers`; order them so each one's requirements come first"


class ModelError(NarrascopeError):
    code = "E401"
    default_hint = "reinstall narrascope (`make install`) so its shipped model files are present"


class SchemaError(NarrascopeError):
    code = "E501"


class DataError(NarrascopeError):
    code = "E601"
    default_hint = "pass the benchmark folder with --data PATH (see the README's Data section)"
